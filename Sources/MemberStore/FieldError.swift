/// A problem with one field (column) of one input row.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field (CSV column or JSON key) name.
    public var field: String
    /// What is wrong with it, e.g. `"12,x" is not a number`.
    public var reason: String

    /// Creates a field error.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `'<field>': <reason>`.
    public var description: String { "'\(field)': \(reason)" }

    /// Quotes a raw input value for an error message, shortening long values.
    static func quote(_ value: String) -> String {
        let shown = value.count > 60 ? String(value.prefix(57)) + "..." : value
        return "\"\(shown)\""
    }
}

/// All field-level problems of one input row that could not be decoded.
public struct RecordDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in field order; never empty.
    public var fields: [FieldError]

    /// Creates the error from its field errors.
    public init(fields: [FieldError]) {
        self.fields = fields
    }

    /// The field errors joined with `; `.
    public var description: String {
        fields.map(\.description).joined(separator: "; ")
    }
}
