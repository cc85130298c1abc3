/// Why an API ingest body could not be split into JSON objects.
public struct IngestBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based NDJSON line of the problem, if the body was read as NDJSON.
    public var line: Int?
    /// The 0-based index of the offending item of a JSON array body, if any.
    public var index: Int?
    /// What is wrong, e.g. `invalid UTF-8 in a string (byte 0xFF) at column 13`.
    public var reason: String

    /// Creates an error.
    public init(line: Int? = nil, index: Int? = nil, reason: String) {
        self.line = line
        self.index = index
        self.reason = reason
    }

    /// `line <n>: <reason>` or just the reason.
    public var description: String {
        line.map { "line \($0): \(reason)" } ?? reason
    }
}
