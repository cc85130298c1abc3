extension FeatureSource {
    /// How a rule names a custom column explicitly: `orders.props.quantity`,
    /// `where = { ["props.store"] = "sh-01" }`.
    static let customPrefix = "props."

    /// Whether `column` (as a ``FeatureSpec`` holds it) is a custom column:
    /// a key of the row's `props` JSON object (an import's extra column).
    static func isCustom(_ column: String) -> Bool { column.hasPrefix(customPrefix) }

    /// The key of a custom column (`props.quantity` -> `quantity`).
    static func key(of column: String) -> String { String(column.dropFirst(customPrefix.count)) }

    /// Why `key` cannot name a custom column, or `nil`: 1 to 64 letters,
    /// digits, `_` or `-` (any script), so that it is safe inside SQL text.
    static func customKeyProblem(_ key: String) -> String? {
        guard !key.isEmpty, key.count <= 64 else { return "a custom column name has 1 to 64 characters" }
        for scalar in key.unicodeScalars
        where !(scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "-") {
            return "a custom column name holds letters, digits, '_' and '-' only"
        }
        return nil
    }

    /// The built-in column `key` is probably a typo of (one edit away, two
    /// for names longer than five characters), if any.
    func likelyTypo(of key: String) -> String? {
        columns.keys.sorted().first { known in
            known.count > 2 && EditDistance.between(key, known) <= (known.count > 5 ? 2 : 1)
        }
    }

    /// The SQL expression of `column`: the column itself, or the value of a
    /// custom column's JSON key (names are checked by ``customKeyProblem(_:)``).
    static func sql(_ column: String) -> String {
        isCustom(column) ? "json_extract(props, '$.\"\(key(of: column))\"')" : column
    }

    /// `column` as text (custom values may be numbers or booleans).
    static func textSQL(_ column: String) -> String {
        isCustom(column) ? "CAST(\(sql(column)) AS TEXT)" : column
    }

    /// `column` where it holds a number (`NULL` otherwise, for custom columns).
    static func numberSQL(_ column: String) -> String {
        guard isCustom(column) else { return column }
        return "CASE WHEN \(typeSQL(column)) IN ('integer', 'real') THEN \(sql(column)) END"
    }

    /// The JSON type of a custom column's value (`NULL` when the key is absent).
    static func typeSQL(_ column: String) -> String {
        "json_type(props, '$.\"\(key(of: column))\"')"
    }
}
