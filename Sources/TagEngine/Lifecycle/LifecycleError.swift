/// A lifecycle step the host refuses, saying what state the tag is in and
/// what is allowed.
public struct LifecycleError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal (the API maps it to 404, 400 or 409).
    public enum Kind: Sendable, Hashable {
        /// The step is not allowed in the tag's state.
        case illegal
        /// Nothing by that name.
        case notFound
        /// The request itself is incomplete or malformed.
        case invalid
    }

    /// The explanation.
    public let message: String
    /// What kind of refusal.
    public let kind: Kind

    /// Creates an error.
    public init(_ message: String, kind: Kind = .illegal) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
