/// Why an import failed, or why one row was skipped (with `skipBad`).
///
/// The description is compiler-style, naming file, line and column, e.g.
/// `orders.csv:17: column 'amount': "12,x" is not a number`.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    /// The specific problem.
    public enum Reason: Sendable {
        /// The file does not exist.
        case fileNotFound
        /// The file could not be opened or read.
        case unreadable(String)
        /// A CSV file without a header line.
        case missingHeader
        /// Required columns absent from the CSV header.
        case missingColumns([String], header: [String])
        /// A header column name appears twice.
        case duplicateColumn(String)
        /// A header column has an empty name (1-based position).
        case emptyColumnName(position: Int)
        /// One or more fields of a row are invalid; `label` is `column` (CSV) or `field` (JSON).
        case invalidFields([FieldError], label: String)
        /// A CSV row with a different number of cells than the header.
        case cellCount(expected: Int, found: Int)
        /// Broken CSV quoting.
        case malformedCSV(String)
        /// A line that is not a JSON object.
        case invalidJSON(String)
        /// A record (CSV) or line (NDJSON) longer than ``ImportOptions/maxRecordBytes``.
        case recordTooLong(limit: Int)
        /// An SQLite error; nothing was stored.
        case database(String)
    }

    /// The file path as given to the importer.
    public var file: String
    /// The 1-based physical line where the row starts, if the problem has one.
    public var line: Int?
    /// The problem.
    public var reason: Reason

    /// Creates an import error.
    public init(file: String, line: Int? = nil, reason: Reason) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// The field errors of an invalid row (empty for other problems).
    public var fieldErrors: [FieldError] {
        if case .invalidFields(let fields, _) = reason { return fields }
        return []
    }

    /// `file:line: message`.
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return "\(location): \(message)"
    }

    /// The message without location.
    public var message: String {
        switch reason {
        case .fileNotFound: "no such file"
        case .unreadable(let why): "cannot read file: \(why)"
        case .missingHeader: "missing CSV header line"
        case .missingColumns(let columns, let header):
            "missing required column\(columns.count > 1 ? "s" : "") \(Self.list(columns)) (header: \(header.joined(separator: ", ")))"
        case .duplicateColumn(let name): "duplicate column '\(name)'"
        case .emptyColumnName(let position): "column \(position) of the header has no name"
        case .invalidFields(let fields, let label):
            fields.map { "\(label) '\($0.field)': \($0.reason)" }.joined(separator: "; ")
        case .cellCount(let expected, let found): "expected \(expected) cells as in the header, found \(found)"
        case .malformedCSV(let why): "malformed CSV: \(why)"
        case .invalidJSON(let why): "invalid JSON: \(why)"
        case .recordTooLong(let limit):
            "record longer than \(limit) bytes (an unclosed quote?); raise ImportOptions.maxRecordBytes if it is real"
        case .database(let why): "database error, nothing imported: \(why)"
        }
    }

    private static func list(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
