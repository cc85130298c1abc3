import Testing

@testable import MemberStore

@Suite struct ParserTests {
    @Test(arguments: [
        ("1997-01-01", 852_076_800),
        ("1997-01-01T10:00:00Z", 852_112_800),
        ("1997-01-01t10:00:00z", 852_112_800),
        ("1997-01-01T10:00Z", 852_112_800),
        ("1997-01-01 10:00:00", 852_112_800),
        ("1997-01-01T10:00:00.123456Z", 852_112_800),
        ("1997-01-01T18:00:00+08:00", 852_112_800),
        ("1997-01-01T18:00:00+0800", 852_112_800),
        ("1997-01-01T18:00:00+08", 852_112_800),
        ("1996-12-31T23:00:00-11:00", 852_112_800),
        ("852112800", 852_112_800),
        ("852112800.999", 852_112_800),
        ("1969-12-31T23:59:59Z", -1),
        ("-0.5", -1),
        ("2000-02-29", 951_782_400),
    ] as [(String, Int64)])
    func timestampFormats(text: String, expected: Int64) {
        #expect(TimestampParser.parse(text) == .success(expected))
    }

    @Test(arguments: ["", "1997-1-01", "1997-13-01", "1900-02-29", "1997-01-01T24:00:00", "1997-01-01T10",
                      "1997-01-01T10:00:00+8", "12,5", "1e9", "1997-01-01X", "now"])
    func invalidTimestamps(text: String) {
        #expect(TimestampParser.parse(text) == .failure(.invalidFormat))
    }

    @Test func birthdays() {
        #expect(TimestampParser.isValidBirthday("1990-05-01"))
        #expect(TimestampParser.isValidBirthday("02-29"))
        #expect(!TimestampParser.isValidBirthday("1991-02-29"))
        #expect(!TimestampParser.isValidBirthday("5/1"))
    }

    @Test func jsonRoundTrip() throws {
        let text = #"{"a":[1,2.5,-3e2,true,null],"b":"x\"y\\z\n\u00e9\ud83d\ude00","c":{}}"#
        let value = try JSONValue(parsing: text)
        #expect(value == ["a": [1, 2.5, -300, true, nil], "b": "x\"y\\z\né😀", "c": .object([:])])
        #expect(try JSONValue(parsing: value.jsonString) == value)
        #expect(value.jsonString == #"{"a":[1,2.5,-300,true,null],"b":"x\"y\\z\né😀","c":{}}"#)
    }

    @Test(arguments: ["{", "{\"a\":}", "[1,]", "01", "\"\\x\"", "{\"a\":1} x", "tru", "\"a\nb\""])
    func invalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func recordDecoderReportsEveryFieldError() {
        let decoder = RecordDecoder(kind: .orders)
        #expect(throws: RecordDecodingError(fields: [
            FieldError(field: "member", reason: "is required"),
            FieldError(field: "ts", reason: #""x" is not a timestamp (expected YYYY-MM-DD, ISO-8601 date-time or epoch seconds)"#),
            FieldError(field: "amount", reason: #""1,5" is not a number"#),
        ])) {
            try decoder.decode(["member": " ", "ts": "x", "amount": "1,5"])
        }
        let record = try? decoder.decode(["member": " m1 ", "ts": "0", "amount": " 2.5"])
        #expect(record == .order(OrderInput(member: "m1", ts: 0, amount: 2.5)))
    }

    @Test func summaryFormatting() {
        #expect(ImportSummary.grouped(69_659) == "69,659")
        #expect(ImportSummary.grouped(0) == "0")
        #expect(ImportSummary.roundedRate(169_900) == 170_000)
        #expect(ImportSummary.roundedRate(1_234_567) == 1_230_000)
        var counts = IngestCounts()
        counts.inserted = 69_659
        counts.createdMembers = 23_570
        let summary = ImportSummary(
            kind: .orders, file: "cdnow.csv", format: .csv, rowsRead: 69_659, counts: counts, badRowCount: 0,
            badRows: [], seconds: 0.41)
        #expect(summary.description
            == "imported 69,659 orders from cdnow.csv in 0.41 s (170,000 rows/s); 23,570 members created; 0 bad rows")
    }
}
