/// Converts the raw values of one row into typed values, collecting a
/// ``FieldError`` for every field that does not convert.
struct FieldReader<Row: FieldRow> {
    let row: Row
    private(set) var errors: [FieldError] = []

    init(_ row: Row) {
        self.row = row
    }

    mutating func fail(_ field: String, _ reason: String) {
        errors.append(FieldError(field: field, reason: reason))
    }

    mutating func text(_ field: InputField) -> String? {
        guard let raw = row.value(field) else { return nil }
        return text(raw, field: field.name)
    }

    /// The value as text; a NUL character is an error, never truncated.
    /// `field` names it in an error (built only then: ids are read per identity).
    mutating func text(_ raw: RawValue, field: @autoclosure () -> String) -> String? {
        let value: String
        switch raw {
        case .text(let text): value = text
        case .json(.string(let text)):
            if text.isEmpty { return nil }
            value = text
        case .json(.number(let number)): return JSONValue.format(number: number)
        case .json(.bool(let flag)): return flag ? "true" : "false"
        case .json(let other): fail(field(), "expected a string, got \(other.jsonString)"); return nil
        }
        if let why = UTF8Text.nulProblem(in: value) {
            fail(field(), why)
            return nil
        }
        return value
    }

    /// The value as text for conversion to a number, boolean or timestamp:
    /// surrounding blanks (kept in quoted text cells) do not count.
    private mutating func scalarText(_ raw: RawValue, field: String) -> String? {
        guard let text = text(raw, field: field) else { return nil }
        let trimmed = TextDictionaryRow.trimmed(text)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// An id (member or channel identity), checked against ``MemberID``'s rules.
    mutating func id(_ raw: RawValue, field: @autoclosure () -> String) -> String? {
        guard let id = text(raw, field: field()) else { return nil }
        if let why = MemberID.problem(with: id) {
            fail(field(), why)
            return nil
        }
        return id
    }

    /// The value as stored in a JSON column; a NUL character anywhere in it is an error.
    mutating func json(_ raw: RawValue, field: String) -> JSONValue? {
        let value = raw.jsonValue
        if value.containsNUL {
            fail(field, "contains a NUL character (U+0000)")
            return nil
        }
        return value
    }

    /// The text of a required field (checked as an id with `asID`); "is required" when absent.
    mutating func requiredText(_ field: InputField, asID: Bool = false) -> String {
        let before = errors.count
        if let raw = row.value(field), let value = asID ? id(raw, field: field.name) : text(raw, field: field.name) {
            return value
        }
        if errors.count == before { fail(field.name, "is required") }
        return ""
    }

    mutating func double(_ field: InputField) -> Double? {
        guard let raw = row.value(field) else { return nil }
        if case .json(.number(let number)) = raw { return number }
        guard let text = scalarText(raw, field: field.name) else { return nil }
        if let value = FieldReader.parseDouble(text) { return value }
        fail(field.name, "\(FieldError.quote(text)) is not a number")
        return nil
    }

    mutating func int(_ field: InputField) -> Int? {
        guard let raw = row.value(field) else { return nil }
        if case .json(.number(let number)) = raw, number == number.rounded(), abs(number) < 9e15 {
            return Int(number)
        }
        guard let text = scalarText(raw, field: field.name) else { return nil }
        if let value = Int(text) { return value }
        fail(field.name, "\(FieldError.quote(text)) is not an integer")
        return nil
    }

    mutating func bool(_ field: InputField) -> Bool? {
        guard let raw = row.value(field) else { return nil }
        if case .json(.bool(let flag)) = raw { return flag }
        guard let text = scalarText(raw, field: field.name) else { return nil }
        switch text {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: break
        }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            fail(field.name, "\(FieldError.quote(text)) is not a boolean (expected true/false/1/0/yes/no)")
            return nil
        }
    }

    mutating func timestamp(_ field: InputField) -> Int64? {
        guard let raw = row.value(field) else { return nil }
        if case .json(.number(let number)) = raw {
            let range = TimestampParser.inputRange
            guard number >= Double(range.lowerBound), number < Double(range.upperBound) + 1 else {
                fail(field.name, "\(JSONValue.format(number: number)) \(TimestampParser.outOfRangeReason(epoch: true))")
                return nil
            }
            return Int64(number.rounded(.down))
        }
        guard let text = scalarText(raw, field: field.name) else { return nil }
        switch TimestampParser.parse(text) {
        case .success(let value) where TimestampParser.inputRange.contains(value):
            return value
        case .success:
            let epoch = !text.contains("-") || text.hasPrefix("-")
            fail(field.name, "\(FieldError.quote(text)) \(TimestampParser.outOfRangeReason(epoch: epoch))")
        case .failure(.outOfRange):
            fail(field.name, "\(FieldError.quote(text)) \(TimestampParser.outOfRangeReason(epoch: true))")
        case .failure(.invalidFormat):
            fail(
                field.name,
                "\(FieldError.quote(text)) is not a timestamp (expected YYYY-MM-DD, ISO-8601 date-time or epoch seconds)"
            )
        }
        return nil
    }

    mutating func requiredTimestamp(_ field: InputField) -> Int64 {
        let before = errors.count
        if let value = timestamp(field) { return value }
        if errors.count == before { fail(field.name, "is required") }
        return 0
    }

    /// A JSON object field (`attrs`, `props`, `identities`); CSV cells must hold JSON object text.
    mutating func object(_ field: InputField) -> [String: JSONValue]? {
        switch row.value(field) {
        case nil: return nil
        case .json(.object(let object)):
            return json(.json(.object(object)), field: field.name).map { _ in object }
        case .text(let text):
            if let object = (try? JSONValue(parsing: text))?.objectValue {
                return json(.json(.object(object)), field: field.name).map { _ in object }
            }
            fail(field.name, "\(FieldError.quote(text)) is not a JSON object")
        case .json(let other):
            fail(field.name, "expected a JSON object, got \(other.jsonString)")
        }
        return nil
    }

    /// `Double(_:)` restricted to plain decimal notation (no `inf`, `nan`, hex).
    static func parseDouble(_ text: String) -> Double? {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default:
                return nil
            }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
