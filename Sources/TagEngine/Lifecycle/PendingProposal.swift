import GRDB

/// A proposal waiting for a decision, with the live version it would replace.
public struct PendingProposal: Sendable {
    /// The tag.
    public var tag: TagRecord
    /// The waiting version (the newest proposed one).
    public var version: TagVersionRecord
    /// The live version it would replace, if the tag is active.
    public var live: TagVersionRecord?
}

extension TagRegistry {
    /// The newest proposed version of every tag that has one, by tag name.
    public func pending() throws -> [PendingProposal] {
        try pool.read { db in
            try TagRecord.filter(Column("state") != TagState.retired.rawValue).order(Column("name")).fetchAll(db).compactMap { tag in
                guard let version = try TagVersionRecord.filter(Column("tag_id") == tag.id && Column("state") == "proposed")
                    .order(Column("id").desc).fetchOne(db)
                else { return nil }
                return PendingProposal(
                    tag: tag, version: version, live: try tag.liveVersionId.flatMap { try TagVersionRecord.fetchOne(db, key: $0) })
            }
        }
    }
}
