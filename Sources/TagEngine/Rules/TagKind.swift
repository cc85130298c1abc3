/// What values a tag takes.
public enum TagKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The member has the tag or not: `evaluate` returns `true` or `false`/`nil`.
    case flag
    /// One value of a declared list: `evaluate` returns one of `values` or `nil`.
    case `enum`
    /// A number: `evaluate` returns a number or `nil`.
    case score
    /// Free text from an open set (a preferred category, say): `evaluate`
    /// returns a non-empty string or `nil`.
    case label
}
