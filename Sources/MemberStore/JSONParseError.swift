/// A syntax error in JSON text.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based byte position (column) of the problem within the parsed text.
    public var column: Int
    /// What was wrong, e.g. `expected ',' or '}'`.
    public var reason: String

    /// Creates an error at the given 1-based column.
    public init(column: Int, reason: String) {
        self.column = column
        self.reason = reason
    }

    /// `<reason> at column <n>`.
    public var description: String { "\(reason) at column \(column)" }
}
