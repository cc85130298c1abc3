/// What one ingest (batch or import) changed.
public struct IngestCounts: Sendable, Hashable {
    /// Rows inserted into the target table (new members, orders or events).
    public var inserted = 0
    /// Existing members updated (members ingest only).
    public var updated = 0
    /// Orders / events skipped because their key (`id`) was already stored.
    public var duplicates = 0
    /// New `members` rows, including members auto-created for orders / events.
    public var createdMembers = 0
    /// Identity rows written.
    public var identities = 0
    /// Members merged by the identity rules.
    public var merges = 0
    /// Identity conflicts (links or identities refused by the rules).
    public var conflicts = 0
    /// Identity values dropped as blocked or empty.
    public var blockedIdentities = 0

    /// Creates zero counts.
    public init() {}

    /// Adds another set of counts to this one.
    public static func += (lhs: inout IngestCounts, rhs: IngestCounts) {
        lhs.inserted += rhs.inserted
        lhs.updated += rhs.updated
        lhs.duplicates += rhs.duplicates
        lhs.createdMembers += rhs.createdMembers
        lhs.identities += rhs.identities
        lhs.merges += rhs.merges
        lhs.conflicts += rhs.conflicts
        lhs.blockedIdentities += rhs.blockedIdentities
    }
}
