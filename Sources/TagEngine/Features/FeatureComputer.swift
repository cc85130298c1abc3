import GRDB

/// Computes features for every member with the queries of a ``FeaturePlan``,
/// merging each query's rows (ordered by member) into a ``FeatureTable``.
struct FeatureComputer {
    let asOf: Int64

    /// Computes `features` for every member, or only for store ids `members`.
    func compute(_ features: Set<FeatureSpec>, in db: Database, members: [Int64]? = nil) throws -> FeatureTable {
        let ids: ContiguousArray<Int64>
        if let members {
            // A member merged into another (ONE-ID) has no features of its own.
            let merged = try Self.merged(among: members, in: db)
            ids = ContiguousArray(Set(members).subtracting(merged).sorted())
        } else {
            ids = try ContiguousArray(Int64.fetchCursor(db, sql: Self.liveMembersSQL))
        }
        var table = FeatureTable(memberIDs: ids, columns: [:])
        for spec in features { table.columns[spec] = FeatureColumn(spec: spec, count: ids.count) }
        for query in FeaturePlan(features: features, asOf: asOf, members: members.map { _ in Array(ids) }).queries {
            if query.isMode {
                try fillMode(query, table: &table, in: db)
            } else {
                try fill(query, table: &table, in: db)
            }
        }
        return table
    }

    /// Every live member (not merged into another), in id order.
    static let liveMembersSQL = "SELECT id FROM members WHERE merged_into IS NULL ORDER BY id"

    /// The members among `ids` that were merged into another.
    static func merged(among ids: [Int64], in db: Database) throws -> Set<Int64> {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM members WHERE merged_into IS NOT NULL)") == true else { return [] }
        var merged: Set<Int64> = []
        for start in stride(from: 0, to: ids.count, by: 5_000) {
            let list = ids[start..<min(start + 5_000, ids.count)].map(String.init).joined(separator: ",")
            merged.formUnion(try Int64.fetchAll(db, sql: "SELECT id FROM members WHERE merged_into IS NOT NULL AND id IN (\(list))"))
        }
        return merged
    }

    /// Member index of `id`, advancing `cursor` (both sequences ascend).
    private func index(of id: Int64, in ids: ContiguousArray<Int64>, cursor: inout Int) -> Int? {
        while cursor < ids.count, ids[cursor] < id { cursor += 1 }
        return cursor < ids.count && ids[cursor] == id ? cursor : nil
    }

    func fill(_ query: FeaturePlan.Query, table: inout FeatureTable, in db: Database) throws {
        // Unpacked columns, so the row loop writes plain arrays.
        var numbers: [ContiguousArray<Double>] = []
        var floats: [ContiguousArray<Float>] = []  // compact columns (counts, days)
        var codes: [ContiguousArray<Int32>] = []
        var words: [[String]] = []
        var dictionaries: [[String: Int32]] = []
        // Taken out of the table, so each array is held once and written in
        // place (a second reference would copy every column on its first write).
        for spec in query.features {
            switch table.columns.removeValue(forKey: spec) ?? FeatureColumn(spec: spec, count: table.count) {
            case .numeric(_, let values): numbers.append(values); floats.append([]); codes.append([]); words.append([])
            case .compact(_, let values): numbers.append([]); floats.append(values); codes.append([]); words.append([])
            case .text(let c, let w): numbers.append([]); floats.append([]); codes.append(c); words.append(w)
            }
            dictionaries.append([:])
        }
        let isText = query.features.map { $0.resultType == .text }
        var isCompact = floats.map { !$0.isEmpty }
        let isDays = query.features.map { $0.function == .daysSinceLast || $0.function == .daysSinceFirst }
        var cursor = 0
        let rows = try Row.fetchCursor(db, sql: query.sql, arguments: query.arguments)
        while let row = try rows.next() {
            guard let member = index(of: row[0], in: table.memberIDs, cursor: &cursor) else { continue }
            for offset in query.features.indices {
                let value: DatabaseValue = row[offset + 1]
                if isText[offset] {
                    if case .string(let s) = value.storage {
                        codes[offset][member] = Self.code(of: s, dictionary: &dictionaries[offset], words: &words[offset])
                    }
                    continue
                }
                var number: Double
                switch value.storage {
                case .int64(let i): number = Double(i)
                case .double(let d): number = d
                default: continue
                }
                if isDays[offset] { number = FeatureSpec.days(from: number, to: asOf) }
                if isCompact[offset] {
                    if FeatureColumn.fitsCompact(number) {
                        floats[offset][member] = Float(number)
                        continue
                    }
                    // A value past 24 bits (hostile data): this column goes to 8 bytes.
                    numbers[offset] = ContiguousArray(floats[offset].lazy.map(Double.init))
                    floats[offset] = []
                    isCompact[offset] = false
                }
                numbers[offset][member] = number
            }
            for (offset, spec) in query.checks.enumerated() where table.problems[spec] == nil {
                if let rowID = Int64.fromDatabaseValue(row[query.features.count + 1 + offset]) {
                    table.problems[spec] = try Self.problem(spec, rowID: rowID, in: db)
                }
            }
        }
        for (offset, spec) in query.features.enumerated() {
            table.columns[spec] =
                isText[offset]
                ? .text(codes[offset], dictionary: words[offset])
                : isCompact[offset] ? .compact(spec.resultType, floats[offset]) : .numeric(spec.resultType, numbers[offset])
        }
    }

    /// Names the row of `spec`'s source whose custom column is not a number.
    static func problem(_ spec: FeatureSpec, rowID: Int64, in db: Database) throws -> String {
        let column = spec.column ?? ""
        let source = spec.source.rawValue
        let keyColumn = spec.source == .orders ? "order_key" : "event_key"
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT s.\(keyColumn) AS key, m.external_id AS member, \(FeatureSource.textSQL(column)) AS value,
                \(FeatureSource.typeSQL(column)) AS type FROM \(source) s JOIN members m ON m.id = s.member_id WHERE s.id = ?
                """, arguments: [rowID])
        let key: String? = row?["key"]
        let member: String = row?["member"] ?? "?"
        let value: String = row?["value"] ?? ""
        let type: String = row?["type"] ?? "?"
        let name = FeatureSource.key(of: column)
        let which = key.map { "\(source.dropLast()) \(rowID) (id \(Self.quoted($0)))" } ?? "\(source.dropLast()) \(rowID)"
        return "\(spec.function.rawValue)(\"\(source).\(name)\"): \(which) of member \(Self.quoted(member)) has \(name) = "
            + "\(Self.quoted(value)) (\(type)), not a number"
    }

    /// `text` in double quotes (`"` and `\` escaped), cut to 60 characters.
    private static func quoted(_ text: String) -> String {
        let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
        var escaped = ""
        for c in shown {
            if c == "\"" || c == "\\" { escaped.append("\\") }
            escaped.append(c)
        }
        return "\"\(escaped)\""
    }

    static func code(of s: String, dictionary: inout [String: Int32], words: inout [String]) -> Int32 {
        if let code = dictionary[s] { return code }
        let code = Int32(words.count)
        words.append(s)
        dictionary[s] = code
        return code
    }

    /// Picks each member's most frequent value: highest count, then the most
    /// recent, then the smallest value.
    func fillMode(_ query: FeaturePlan.Query, table: inout FeatureTable, in db: Database) throws {
        // Taken out of the table so that the codes are written in place.
        guard let spec = query.features.first,
            case .text(var codes, var words) = table.columns.removeValue(forKey: spec) ?? FeatureColumn(spec: spec, count: table.count)
        else { return }
        var dictionary: [String: Int32] = [:]
        var cursor = 0
        var current: (member: Int, value: String, count: Int64, last: Int64)?
        func flush() {
            if let c = current { codes[c.member] = Self.code(of: c.value, dictionary: &dictionary, words: &words) }
        }
        let rows = try Row.fetchCursor(db, sql: query.sql, arguments: query.arguments)
        while let row = try rows.next() {
            guard let member = index(of: row[0], in: table.memberIDs, cursor: &cursor) else { continue }
            let value: String = row[1]
            let count: Int64 = row[2]
            let last: Int64 = row[3]
            if let c = current, c.member == member {
                if count > c.count || (count == c.count && (last > c.last || (last == c.last && value < c.value))) {
                    current = (member, value, count, last)
                }
            } else {
                flush()
                current = (member, value, count, last)
            }
        }
        flush()
        table.columns[spec] = .text(codes, dictionary: words)
    }
}
