import Testing

@testable import MemberStore

/// The API ingest body parser applies the import's rules to raw bytes.
@Suite struct IngestBodyTests {
    @Test func oneObjectAnArrayOrNDJSON() throws {
        #expect(try IngestBody.objects(fromUTF8: Array(#" {"member":"m1"} "#.utf8), isNDJSON: false) == [["member": "m1"]])
        #expect(try IngestBody.objects(fromUTF8: Array("[\n{\"member\":\"m1\"},\r\n{\"member\":\"m2\"}\n]".utf8), isNDJSON: false).count == 2)
        for lineEnd in ["\n", "\r\n", "\r"] {
            let body = [#"{"member":"m1"}"#, "", #"{"member":"m2"}"#].joined(separator: lineEnd)
            #expect(try IngestBody.objects(fromUTF8: Array(body.utf8), isNDJSON: true).count == 2)
            #expect(try IngestBody.objects(fromUTF8: Array(body.utf8), isNDJSON: false).count == 2)
        }
        #expect(try IngestBody.objects(fromUTF8: [], isNDJSON: false).isEmpty)
    }

    @Test func invalidUTF8NamesLineAndColumn() {
        #expect(throws: IngestBodyError(line: 2, reason: "invalid UTF-8 in a string (byte 0xFF) at column 13 (field 'member')")) {
            try IngestBody.objects(fromUTF8: invalidUTF8("{\"member\":\"m1\"}\n{\"member\":\"m¤\"}"), isNDJSON: false)
        }
        #expect(throws: IngestBodyError(reason: "body is not valid JSON: invalid UTF-8 in a string (byte 0xFE) at column 13")) {
            try IngestBody.objects(fromUTF8: invalidUTF8("[{\"member\":\"¢\"}]"), isNDJSON: false)
        }
    }

    @Test func otherShapesAreRefused() {
        #expect(throws: IngestBodyError(index: 1, reason: "item 1 is not a JSON object")) {
            try IngestBody.objects(fromUTF8: Array(#"[{"member":"m1"},2]"#.utf8), isNDJSON: false)
        }
        #expect(throws: IngestBodyError(reason: "body must be a JSON object, an array of objects, or NDJSON")) {
            try IngestBody.objects(fromUTF8: Array("42".utf8), isNDJSON: false)
        }
        #expect(throws: IngestBodyError(line: 1, reason: #"lone surrogate \ud800 in a string at column 12 (field 'member')"#)) {
            try IngestBody.objects(fromUTF8: Array(#"{"member":"\ud800"}"#.utf8), isNDJSON: true)
        }
    }

    /// A body already decoded lossily (invalid bytes turned into U+FFFD)
    /// still cannot merge members: the decoder refuses U+FFFD in ids.
    @Test func replacementCharacterInAnIdIsRefused() {
        let lossy = String(decoding: invalidUTF8("m¤"), as: UTF8.self)
        #expect(throws: RecordDecodingError(fields: [
            FieldError(
                field: "member",
                reason: "contains U+FFFD (the replacement character) at character 2: the input was probably not valid UTF-8")
        ])) {
            try RecordDecoder(kind: .members).decode(["member": .string(lossy)])
        }
    }
}
