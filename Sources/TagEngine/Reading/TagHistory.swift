import GRDB

/// Every version of a tag and every transition, for `tagd history NAME`.
public struct TagHistory: Sendable, Codable {
    /// The tag name.
    public var name: String
    /// The tag's lifecycle state (a ``TagState`` raw value).
    public var state: String
    /// Every recorded version, oldest first.
    public var versions: [TagVersionRecord]
    /// The audit-log entries about the tag, oldest first.
    public var transitions: [AuditEntry]
}

extension TagRegistry {
    /// The versions and audited transitions of `name`.
    public func history(name: String) throws -> TagHistory {
        try pool.read { db in
            let tag = try Self.tag(name, in: db)
            return TagHistory(
                name: name, state: tag.state.rawValue,
                versions: try TagVersionRecord.filter(Column("tag_id") == tag.id).order(Column("id")).fetchAll(db),
                transitions: try AuditLog.entries(tag: name, in: db))
        }
    }
}
