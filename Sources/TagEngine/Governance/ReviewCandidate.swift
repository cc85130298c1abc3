/// A tag the culling review suggests retiring, with the reasons.
public struct ReviewCandidate: Sendable, Codable, Hashable {
    /// The tag.
    public var name: String
    /// Why it looks useless, most serious first.
    public var reasons: [String]
    /// Active rules that read it (it cannot be retired before they change).
    public var dependants: [String]
}
