import GRDB

/// One row of the audit log.
public struct AuditEntry: Sendable, Codable, FetchableRecord {
    public var id: Int64
    public var at: Int64
    public var actor: String
    public var action: String
    public var tag: String?
    public var versionHash: String?
    public var reason: String?
    public var detail: String?
    public var hash: String

    public init(row: Row) {
        id = row["id"]
        at = row["at"]
        actor = row["actor"]
        action = row["action"]
        tag = row["tag"]
        versionHash = row["version_hash"]
        reason = row["reason"]
        detail = row["detail"]
        hash = row["hash"]
    }
}

extension AuditLog {
    /// Entries, oldest first, optionally only those about `tag`.
    public static func entries(tag: String? = nil, in db: Database) throws -> [AuditEntry] {
        if let tag {
            return try AuditEntry.fetchAll(db, sql: "SELECT * FROM audit_log WHERE tag = ? ORDER BY id", arguments: [tag])
        }
        return try AuditEntry.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id")
    }
}
