/// One merge of two members, as `tagd identity history` lists it.
public struct MergeRecord: Sendable, Codable, Hashable {
    /// The merge id (`tagd identity split MEMBER --merge ID`).
    public var id: Int64
    /// The surviving member's external id.
    public var survivor: String
    /// The absorbed member's external id (it resolves to the survivor).
    public var absorbed: String
    /// `identity rules` (at ingest) or `by hand`.
    public var reason: String
    /// The identity rules version that made it, if any.
    public var ruleVersion: String?
    /// Who made it.
    public var actor: String
    /// When, epoch seconds.
    public var at: Int64
    /// When it was undone by a split, epoch seconds.
    public var undoneAt: Int64?
    /// Who split it.
    public var undoneBy: String?
}

/// A pair of members held for a person to decide (`tagd identity candidates`).
public struct MergeCandidate: Sendable, Codable, Hashable {
    /// The candidate id.
    public var id: Int64
    /// One member's external id.
    public var memberA: String
    /// The other member's external id.
    public var memberB: String
    /// The channel that conflicted.
    public var channel: String
    /// Why the pair was held.
    public var reason: String
    /// When, epoch seconds.
    public var at: Int64
    /// `open`, `merged` or `rejected`.
    public var status: String
}
