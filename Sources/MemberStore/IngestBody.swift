/// Parses the body of an API ingest request with the same strict rules as a
/// file import: strict UTF-8 (an invalid byte is an error, never U+FFFD), no
/// lone surrogates or duplicate keys, and NDJSON lines ended by `\n`, `\r\n`
/// or `\r`.
///
/// Meant for `POST /v1/members|orders|events`: pass the raw body bytes (not
/// a `String` made from them, which would already have replaced invalid
/// bytes), then decode each object with ``RecordDecoder/decode(_:)-([String:JSONValue])``.
public enum IngestBody {
    /// The objects of a body holding one JSON object, a JSON array of
    /// objects (even pretty-printed) or, when `isNDJSON` is set or the body
    /// is neither, NDJSON: one object per non-blank line.
    ///
    /// - Throws: ``IngestBodyError`` naming the line (NDJSON) or array item
    ///   and, for syntax errors, the column.
    public static func objects(
        fromUTF8 body: UnsafeRawBufferPointer, isNDJSON: Bool
    ) throws(IngestBodyError) -> [[String: JSONValue]] {
        let bytes = body.assumingMemoryBound(to: UInt8.self)
        let whole = LineReader.trimmed(bytes, 0, bytes.count, lineEnds: true)
        if !isNDJSON, !whole.isEmpty {
            var parser = JSONParser(UnsafeBufferPointer(rebasing: bytes[whole]))
            let parsed = Result { () throws(JSONParseError) in try parser.parseDocument() }
            switch parsed {
            case .success(.object(let object)):
                return [object]
            case .success(.array(let items)):
                return try items.enumerated().map { index, item throws(IngestBodyError) in
                    guard case .object(let object) = item else {
                        throw IngestBodyError(index: index, reason: "item \(index) is not a JSON object")
                    }
                    return object
                }
            case .success:
                throw IngestBodyError(reason: "body must be a JSON object, an array of objects, or NDJSON")
            case .failure(let error):
                if bytes[whole.lowerBound] == UInt8(ascii: "[") {
                    throw IngestBodyError(reason: "body is not valid JSON: \(error.description)")
                }
            }
        }
        var objects: [[String: JSONValue]] = []
        var start = 0
        var line = 0
        while let (end, next) = LineReader.line(in: bytes, from: start, final: true) {
            line += 1
            let content = LineReader.trimmed(bytes, start, end)
            start = next
            if content.isEmpty { continue }
            switch JSONParser.parseObjectLine(UnsafeBufferPointer(rebasing: bytes[content])) {
            case .success(let object): objects.append(object)
            case .failure(let error): throw IngestBodyError(line: line, reason: error.message)
            }
        }
        return objects
    }

    /// ``objects(fromUTF8:isNDJSON:)`` for a byte array.
    public static func objects(fromUTF8 body: [UInt8], isNDJSON: Bool) throws(IngestBodyError) -> [[String: JSONValue]] {
        let result = body.withUnsafeBytes { raw in
            Result { () throws(IngestBodyError) in try objects(fromUTF8: raw, isNDJSON: isNDJSON) }
        }
        return try result.get()
    }
}
