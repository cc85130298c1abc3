import GRDB

/// Live values of the tags a rule reads (`m.tags.name`), as columns aligned
/// with a ``FeatureTable``.
enum LiveTagColumns {
    static func load(_ names: [String], table: FeatureTable, in db: Database) throws -> [(name: String, column: FeatureColumn)] {
        guard table.count > 0 else { return names.map { ($0, .text([], dictionary: [])) } }
        return try names.map { name in
            var codes = ContiguousArray<Int32>(repeating: -1, count: table.count)
            var words: [String] = []
            var dictionary: [String: Int32] = [:]
            var cursor = 0
            let rows = try Row.fetchCursor(db, sql: """
                SELECT mt.member_id, mt.value FROM member_tags mt JOIN tags t ON t.id = mt.tag_id
                WHERE t.name = ? ORDER BY mt.member_id
                """, arguments: [name])
            while let row = try rows.next() {
                let id: Int64 = row[0]
                while cursor < table.count, table.memberIDs[cursor] < id { cursor += 1 }
                guard cursor < table.count, table.memberIDs[cursor] == id else { continue }
                codes[cursor] = FeatureComputer.code(of: row[1], dictionary: &dictionary, words: &words)
            }
            return (name, .text(codes, dictionary: words))
        }
    }
}
