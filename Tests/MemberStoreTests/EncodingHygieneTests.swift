import GRDB
import Testing

@testable import MemberStore

/// Bytes of `text` with every `¤` replaced by the invalid UTF-8 byte 0xFF and
/// every `¢` by 0xFE, for fixtures that must not be valid UTF-8.
func invalidUTF8(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    for scalar in text.unicodeScalars {
        switch scalar {
        case "¤": bytes.append(0xFF)
        case "¢": bytes.append(0xFE)
        default: bytes += Array(String(scalar).utf8)
        }
    }
    return bytes
}

/// Invalid UTF-8, NUL characters and lone surrogates are errors naming the
/// row and column; they are never replaced or truncated, so distinct ids can
/// never merge.
@Suite struct EncodingHygieneTests {
    @Test func invalidUTF8InACSVIdNamesLineAndColumnAndStoresNothing() throws {
        let test = try TestStore()
        _ = try test.importText("seed.csv", "member\nm0\n", kind: .members)
        let before = try test.snapshot()
        let error = try test.importFailure(
            "members.csv", bytes: invalidUTF8("member,region\nm1,a\nm¤2,b\n"), kind: .members)
        #expect(error.description == "\(test.directory.path)/members.csv:3: column 'member': is not valid UTF-8 (byte 0xFF at byte 2)")
        #expect(error.fieldErrors.map(\.field) == ["member"])
        #expect(try test.snapshot() == before)
    }

    @Test func idsDifferingOnlyInInvalidBytesDoNotMerge() throws {
        let test = try TestStore()
        let path = try test.fixture("members.csv", bytes: invalidUTF8("member,region\nm¤,a\nm¢,b\nm1,c\n"))
        let summary = try test.store.importFile(path, kind: .members, options: ImportOptions(skipBad: true))
        #expect(summary.badRowCount == 2)
        #expect(summary.badRows.map(\.line) == [2, 3])
        #expect(summary.badRows[1].description.hasSuffix("members.csv:3: column 'member': is not valid UTF-8 (byte 0xFE at byte 2)"))
        #expect(try test.store.counts().members == 1)
        let ids: [String] = try test.store.pool.read { db in try String.fetchAll(db, sql: "SELECT external_id FROM members") }
        #expect(ids == ["m1"])
    }

    @Test func invalidUTF8InACSVTextFieldAndHeader() throws {
        let test = try TestStore()
        try test.expectFailure(
            "events.csv", bytes: invalidUTF8("member,ts,type,keyword\nm1,1,search,\"caf¤\"\n"), kind: .events,
            endsWith: "events.csv:2: column 'keyword': is not valid UTF-8 (byte 0xFF at byte 4)")
        try test.expectFailure(
            "m.csv", bytes: invalidUTF8("member,re¤gion\nm1,a\n"), kind: .members,
            endsWith: "m.csv:1: malformed CSV: header column 2 is not valid UTF-8 (byte 0xFF at byte 3)")
    }

    @Test func invalidUTF8InNDJSONNamesLineAndColumn() throws {
        let test = try TestStore()
        try test.expectFailure(
            "members.ndjson", bytes: invalidUTF8("{\"member\":\"m1\"}\n{\"member\":\"m¤\"}\n"), kind: .members,
            endsWith: "members.ndjson:2: invalid JSON: invalid UTF-8 in a string (byte 0xFF) at column 13 (field 'member')")
        try test.expectFailure(
            "e.ndjson", bytes: invalidUTF8("{\"member\":¤}\n"), kind: .members,
            endsWith: "e.ndjson:1: invalid JSON: unexpected byte 0xFF at column 11 (field 'member')")
        #expect(try test.store.counts().members == 0)
    }

    @Test func nulBytesAreErrorsNotTruncation() throws {
        let test = try TestStore()
        try test.expectFailure(
            "m.csv", "member,region\nm1\u{0}x,a\n", kind: .members,
            endsWith: "m.csv:2: column 'member': contains a NUL character (U+0000) at byte 3")
        try test.expectFailure(
            "m.csv", "member,region\nm1,\"a\u{0}\"\n", kind: .members,
            endsWith: "m.csv:2: column 'region': contains a NUL character (U+0000) at byte 2")
        try test.expectFailure(
            "e.ndjson", #"{"member":"m1\u0000x","ts":1,"type":"browse"}"#, kind: .events,
            endsWith: "e.ndjson:1: field 'member': contains a NUL character (U+0000) at byte 3")
        try test.expectFailure(
            "e.ndjson", #"{"member":"m1","ts":1,"type":"browse","props":{"a":["\u0000"]}}"#, kind: .events,
            endsWith: "e.ndjson:1: field 'props': contains a NUL character (U+0000)")
        try test.expectFailure(
            "m.ndjson", #"{"member":"m1","note":{"\u0000":1}}"#, kind: .members,
            endsWith: "m.ndjson:1: field 'note': contains a NUL character (U+0000)")
        #expect(try test.store.counts() == StoreCounts(members: 0, identities: 0, orders: 0, events: 0))
    }

    @Test func loneSurrogatesAreErrors() throws {
        let test = try TestStore()
        try test.expectFailure(
            "m.ndjson", #"{"member":"m\ud800"}"#, kind: .members,
            endsWith: #"m.ndjson:1: invalid JSON: lone surrogate \ud800 in a string at column 13 (field 'member')"#)
        try test.expectFailure(
            "m.ndjson", #"{"member":"\udc00x"}"#, kind: .members,
            endsWith: #"m.ndjson:1: invalid JSON: lone surrogate \udc00 in a string at column 12 (field 'member')"#)
        try test.expectFailure(
            "m.ndjson", #"{"member":"\ud800\u0041"}"#, kind: .members,
            endsWith: "m.ndjson:1: invalid JSON: invalid surrogate pair at column 12 (field 'member')")
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == "😀")
    }

    /// The API ingest path parses with ``JSONValue`` and decodes with
    /// ``RecordDecoder``: the same checks apply there.
    @Test func apiIngestDecodersShareTheChecks() throws {
        #expect(throws: JSONParseError(column: 2, reason: #"lone surrogate \ud800 in a string"#)) {
            try JSONValue(parsing: #""\ud800""#)
        }
        #expect(throws: JSONParseError(column: 15, reason: #"duplicate key "member""#)) {
            try JSONValue(parsing: #"{"member":"a","member":"b"}"#)
        }
        let decoder = RecordDecoder(kind: .orders)
        #expect(throws: RecordDecodingError(fields: [
            FieldError(field: "member", reason: "contains a NUL character (U+0000) at byte 2")
        ])) {
            try decoder.decode(["member": .string("a\u{0}b"), "ts": 1])
        }
        #expect(throws: RecordDecodingError(fields: [
            FieldError(field: "ts", reason: "10000000000 is outside the accepted range 1900-01-01 .. 2199-12-31 (epoch seconds expected; milliseconds?)")
        ])) {
            try decoder.decode(["member": "m1", "ts": 1e10])
        }
        let test = try TestStore()
        #expect(throws: StoreError.self) { try test.store.ingest(members: [MemberInput(externalID: "a\u{0}")]) }
        #expect(try test.store.counts().members == 0)
    }

    @Test func controlCharactersAndOverlongIdsAreRefused() throws {
        let test = try TestStore()
        try test.expectFailure(
            "m.csv", "member\n\"m\u{1B}1\"\n", kind: .members,
            endsWith: "m.csv:2: column 'member': contains the control character U+001B at character 2; ids may not")
        let long = String(repeating: "x", count: MemberID.maxUTF8Length + 1)
        try test.expectFailure(
            "m.ndjson", "{\"member\":\"\(long)\"}", kind: .members,
            endsWith: "m.ndjson:1: field 'member': is 513 bytes long; an id may have at most 512")
        try test.expectFailure(
            "m.csv", "member,id_wechat\nm1,\"w\nx\"\n", kind: .members,
            endsWith: "m.csv:2: column 'id_wechat': contains the control character U+000A at character 2; ids may not")
    }
}
