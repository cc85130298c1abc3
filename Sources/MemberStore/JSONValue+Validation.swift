extension JSONValue {
    /// Whether a NUL character (U+0000) appears in any string or key of the value.
    var containsNUL: Bool {
        switch self {
        case .string(let text): text.utf8.contains(0)
        case .array(let items): items.contains { $0.containsNUL }
        case .object(let object): object.contains { $0.key.utf8.contains(0) || $0.value.containsNUL }
        case .null, .bool, .number: false
        }
    }
}
