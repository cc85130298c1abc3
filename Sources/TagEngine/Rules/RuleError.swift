/// A problem with a rule file, located at `file:line` when known.
public struct RuleError: Error, Sendable, CustomStringConvertible {
    /// The rule file, relative to the rules directory.
    public let file: String
    /// The line the problem is on (`nil`: the file as a whole).
    public let line: Int?
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
