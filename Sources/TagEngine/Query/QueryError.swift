/// A query that cannot be parsed or compiled, pointing at the column.
///
/// `description` is the headline (`query:1:17: expected a value after '=='
/// (found 'and')`), then the offending query line and a caret under the column.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The whole query text.
    public let query: String
    /// Where the problem is.
    public let position: QueryPosition
    /// What is wrong.
    public let message: String

    /// Creates an error about `query` at `position`.
    public init(query: String, at position: QueryPosition, _ message: String) {
        self.query = query
        self.position = position
        self.message = message
    }

    /// 1-based line.
    public var line: Int { position.line }
    /// 1-based column, in characters.
    public var column: Int { position.column }

    /// `query:LINE:COLUMN: message`.
    public var headline: String { "query:\(line):\(column): \(message)" }

    public var description: String {
        let lines = query.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let source = line - 1 < lines.count ? String(lines[line - 1]) : ""
        let pad = String(source.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
        return "\(headline)\n  \(source)\n  \(pad)^"
    }
}
