import Foundation
import GRDB

/// Members of a segment with the columns a campaign needs: external id,
/// channel identities and chosen attributes, in member order, by pages.
public struct SegmentExport: Sendable {
    /// The store.
    public let pool: DatabasePool
    /// The segment (or any tag) name.
    public let name: String
    /// Attribute columns: `region`, `level`, ... or `attr.<key>`.
    public let columns: [String]

    static let baseColumns: Set<String> = ["channel", "registered_at", "gender", "region", "birthday", "level"]

    /// One member's row.
    public struct Row: Sendable, Codable {
        /// The member's external id.
        public var member: String
        /// The member's identities: channel to the member's id on that channel.
        public var identities: [String: String]
        /// The requested ``SegmentExport/columns`` the member has, as text.
        public var attributes: [String: String]
        /// When the member got its current value (the run's as-of time, epoch seconds UTC).
        public var since: Int64
        /// The store id, used as the paging cursor.
        public var cursor: Int64
    }

    /// Creates an export, refusing unknown columns.
    public init(pool: DatabasePool, name: String, columns: [String]) throws {
        for column in columns where !Self.baseColumns.contains(column)
            && !(column.hasPrefix("attr.") && RuleDSL.isValidUserName(String(column.dropFirst(5))) && !column.contains("'"))
        {
            throw LifecycleError("unknown column '\(column)' (use \(Self.baseColumns.sorted().joined(separator: ", ")) or attr.<key>)")
        }
        self.pool = pool
        self.name = name
        self.columns = columns
    }

    /// Up to `limit` members after store id `cursor`.
    public func page(after cursor: Int64 = 0, limit: Int = 1_000) throws -> [Row] {
        try pool.read { db in
            guard let tagID = try Int64.fetchOne(db, sql: "SELECT id FROM tags WHERE name = ?", arguments: [name]) else {
                throw LifecycleError("no segment or tag named \"\(name)\"", kind: .notFound)
            }
            // Column names were validated in init: base columns or attr.<identifier>.
            let selected = columns.map { column in
                column.hasPrefix("attr.") ? "json_extract(m.attrs, '$.\(column.dropFirst(5))')" : "m.\(column)"
            }
            let extra = selected.isEmpty ? "" : ", " + selected.joined(separator: ", ")
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT m.id, m.external_id, mt.since\(extra) FROM member_tags mt JOIN members m ON m.id = mt.member_id
                WHERE mt.tag_id = ? AND mt.member_id > ? ORDER BY mt.member_id LIMIT ?
                """, arguments: [tagID, cursor, limit])
            var identities: [Int64: [String: String]] = [:]
            if let first = rows.first?[0] as Int64?, let last = rows.last?[0] as Int64? {
                for row in try GRDB.Row.fetchAll(db, sql: """
                    SELECT i.member_id, i.channel, i.external_id FROM identities i
                    WHERE i.member_id BETWEEN ? AND ? AND i.member_id IN (SELECT member_id FROM member_tags WHERE tag_id = ?)
                    """, arguments: [first, last, tagID]) {
                    identities[row[0], default: [:]][row[1]] = row[2]
                }
            }
            return rows.map { row in
                var attributes: [String: String] = [:]
                for (offset, column) in columns.enumerated() {
                    let value: DatabaseValue = row[3 + offset]
                    switch value.storage {
                    case .int64(let i): attributes[column] = String(i)
                    case .double(let d): attributes[column] = String(d)
                    case .string(let text): attributes[column] = text
                    case .blob, .null: break
                    }
                }
                let id: Int64 = row[0]
                return Row(member: row[1], identities: identities[id] ?? [:], attributes: attributes, since: row[2], cursor: id)
            }
        }
    }
}
