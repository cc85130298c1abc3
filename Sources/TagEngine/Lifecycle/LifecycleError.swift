/// A lifecycle step the host refuses, saying what state the tag is in and
/// what is allowed.
public struct LifecycleError: Error, Sendable, CustomStringConvertible {
    /// The explanation.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
