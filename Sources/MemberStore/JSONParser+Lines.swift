extension JSONParser {
    /// Parses one NDJSON line (already stripped of its line end and blanks)
    /// into a JSON object, or says why it is not one. Shared by file import
    /// and ``IngestBody`` so that both accept exactly the same lines.
    static func parseObjectLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<[String: JSONValue], JSONLineError> {
        if bytes.first == UInt8(ascii: "[") {
            return .failure(JSONLineError("a JSON array is not supported; write one JSON object per line (NDJSON)"))
        }
        var parser = JSONParser(bytes)
        let value: JSONValue
        do {
            value = try parser.parseDocument()
        } catch {
            var hint = parser.topLevelKey.map { " (field '\($0)')" } ?? ""
            if error.column > bytes.count { hint += " (each line must hold one complete JSON object)" }
            return .failure(JSONLineError(error.description + hint))
        }
        guard case .object(let object) = value else {
            return .failure(JSONLineError("expected a JSON object, got \(value.jsonString.prefix(40))"))
        }
        return .success(object)
    }
}

/// Why one NDJSON line is not a JSON object (the message, without location).
struct JSONLineError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
