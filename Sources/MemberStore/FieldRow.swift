/// One raw value of an input row, before conversion.
enum RawValue {
    /// A CSV cell (already known to be non-empty).
    case text(String)
    /// A JSON value (never `null` for known fields).
    case json(JSONValue)
}

/// Read access to one raw input row, independent of the file format.
protocol FieldRow {
    /// The value of a known field; `nil` when absent, empty or JSON `null`.
    func value(_ field: InputField) -> RawValue?
    /// Calls `body` for every column that is not a known field of the kind.
    func forEachExtra(_ body: (String, RawValue) -> Void)
}

/// A JSON object row (NDJSON).
struct JSONObjectRow: FieldRow {
    let object: [String: JSONValue]
    let kind: RecordKind

    func value(_ field: InputField) -> RawValue? {
        guard let value = object[field.name] else { return nil }
        if case .null = value { return nil }
        return .json(value)
    }

    func forEachExtra(_ body: (String, RawValue) -> Void) {
        for (key, value) in object where InputField.named(key, in: kind) == nil {
            body(key, .json(value))
        }
    }
}

/// A row of named text cells (a CSV row given as a dictionary).
struct TextDictionaryRow: FieldRow {
    let cells: [String: String]
    let kind: RecordKind

    func value(_ field: InputField) -> RawValue? {
        guard let cell = cells[field.name].map(TextDictionaryRow.trimmed), !cell.isEmpty else { return nil }
        return .text(cell)
    }

    func forEachExtra(_ body: (String, RawValue) -> Void) {
        for (key, cell) in cells where InputField.named(key, in: kind) == nil {
            let cell = TextDictionaryRow.trimmed(cell)
            if !cell.isEmpty { body(key, .text(cell)) }
        }
    }

    /// Strips leading and trailing ASCII spaces and tabs (cheap when there are none).
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard isBlank(first) || isBlank(last) else { return text }
        let bytes = Array(text.utf8)
        guard let start = bytes.firstIndex(where: { !isBlank($0) }),
            let end = bytes.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
