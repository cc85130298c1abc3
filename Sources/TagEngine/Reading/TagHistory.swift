import GRDB

/// Every version of a tag and every transition, for `tagd history NAME`.
public struct TagHistory: Sendable, Codable {
    public var name: String
    public var state: String
    public var versions: [TagVersionRecord]
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
