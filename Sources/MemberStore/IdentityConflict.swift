/// A record whose identities conflict under the identity rules: it was
/// stored against one member and the link was not made (or held as a
/// candidate pair).
public struct IdentityConflict: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The external id of the member the record was stored against.
    public var member: String
    /// The external id of the other member, when the record linked two.
    public var other: String?
    /// The channel that conflicts.
    public var channel: String
    /// Why, e.g. `both members hold a phone (limit 1); held as a merge candidate`.
    public var reason: String

    /// Creates a conflict report.
    public init(member: String, other: String?, channel: String, reason: String) {
        self.member = member
        self.other = other
        self.channel = channel
        self.reason = reason
    }

    /// `member m1 / m2: phone: ...`.
    public var description: String {
        "member \(member)\(other.map { " / \($0)" } ?? ""): \(channel): \(reason)"
    }
}
