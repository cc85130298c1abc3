import GRDB

/// One row of the audit log.
public struct AuditEntry: Sendable, Codable, FetchableRecord {
    /// The row id; the hash chain runs in id order.
    public var id: Int64
    /// When it happened (epoch seconds UTC).
    public var at: Int64
    /// Who acted: a user name, or `rules-dir` for syncs of the rules directory.
    public var actor: String
    /// What happened: `propose`, `approve`, `reject`, `retire`, `restore`, `orphaned`, `denied`, `user_add`...
    public var action: String
    /// The tag concerned; `nil` for actions on no tag.
    public var tag: String?
    /// SHA-256 of the tag version concerned, if any.
    public var versionHash: String?
    /// The reason given (for `denied`: why it was refused), if any.
    public var reason: String?
    /// Free detail, such as a proposal's file or a denied action's name, if any.
    public var detail: String?
    /// The chain hash over this row's content and the previous row's hash.
    public var hash: String

    /// Decodes a row of `audit_log`.
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
