import GRDB

/// A row of `tags` with what pages need to link and classify it.
struct TagRow: Sendable {
    var id: Int64
    var name: String
    /// `tag` or `segment`.
    var kind: String
    var state: String
    /// The live version's source, for active tags.
    var liveSource: String?

    /// Every tag, by name.
    static func all(_ db: Database) throws -> [String: TagRow] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT t.id, t.name, t.kind, t.state, v.source FROM tags t LEFT JOIN tag_versions v ON v.id = t.live_version_id ORDER BY t.name
            """)
        return Dictionary(
            rows.map { ($0[1], TagRow(id: $0[0], name: $0[1], kind: $0[2], state: $0[3], liveSource: $0[4])) },
            uniquingKeysWith: { a, _ in a })
    }
}
