import GRDB
import Testing

@testable import MemberStore

/// Line ends (`\n`, `\r\n`, lone `\r`), RFC 4180 quoting of blanks, and
/// recovery from an unterminated quote.
@Suite struct LineEndAndQuotingTests {
    private func regions(_ test: TestStore) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try test.rows("SELECT external_id, region FROM members") {
            result[row["external_id"]] = row["region"] as String? ?? "<nil>"
        }
        return result
    }

    @Test(arguments: [1, 2, 3, 1 << 20])
    func crOnlyCRLFAndLFLineEndsReadTheSameInCSV(chunkSize: Int) throws {
        var options = ImportOptions()
        options.chunkSize = chunkSize
        for lineEnd in ["\n", "\r\n", "\r"] {
            let test = try TestStore()
            let text = ["member,region", "m1,a", "", "m2,\"x\ry\"", "m3,\"p\r\nq\"", "m4,b", ""].joined(separator: lineEnd)
            let summary = try test.importText("m.csv", text, kind: .members, options: options)
            #expect(summary.imported == 4, "line end \(lineEnd.debugDescription), chunk \(chunkSize)")
            #expect(try regions(test) == ["m1": "a", "m2": "x\ry", "m3": "p\r\nq", "m4": "b"])
        }
    }

    @Test func crOnlyLineNumbersCountEveryLine() throws {
        let test = try TestStore()
        try test.expectFailure(
            "o.csv", "member,ts,product\rm1,1,a\r\rm2,2,\"multi\rline\"\rm3,x,b\r", kind: .orders,
            endsWith: #"o.csv:6: column 'ts': "x" is not a timestamp (expected YYYY-MM-DD, ISO-8601 date-time or epoch seconds)"#)
    }

    @Test(arguments: [1, 2, 1 << 20])
    func crOnlyCRLFAndLFLineEndsReadTheSameInNDJSON(chunkSize: Int) throws {
        var options = ImportOptions()
        options.chunkSize = chunkSize
        for lineEnd in ["\n", "\r\n", "\r"] {
            let test = try TestStore()
            let lines = [#"{"member":"m1","region":"a"}"#, "", #"{"member":"m2","region":"b\rc"}"#, #"{"member":"m3"}"#]
            let summary = try test.importText(
                "m.ndjson", lines.joined(separator: lineEnd) + lineEnd, kind: .members, options: options)
            #expect(summary.imported == 3, "line end \(lineEnd.debugDescription), chunk \(chunkSize)")
            #expect(try regions(test) == ["m1": "a", "m2": "b\rc", "m3": "<nil>"])
        }
        let test = try TestStore()
        try test.expectFailure(
            "e.ndjson", "{\"member\":\"m1\"}\r\r{\"member\":1\r", kind: .members,
            endsWith: "e.ndjson:3: invalid JSON: expected ',' or '}' at column 12 (each line must hold one complete JSON object)")
    }

    @Test func quotedBlanksAreKeptUnquotedOnesTrimmed() throws {
        let test = try TestStore()
        _ = try test.importText(
            "m.csv",
            "member,region,gender,level,note\n"
                + "m1,\" a \",  f  ,\" 3 \",\"\t\"\n"
                + "\" m2 \", \"x, y\" ,\"\",,\n",
            kind: .members)
        let m1 = try #require(try test.store.member(externalID: "m1"))
        #expect(m1.region == " a " && m1.gender == "f" && m1.level == 3)
        #expect(m1.attrs == ["note": "\t"])
        // A quoted id keeps its blanks too: " m2 " is not "m2".
        #expect(try test.store.member(externalID: "m2") == nil)
        let m2 = try #require(try test.store.member(externalID: " m2 "))
        #expect(m2.region == "x, y" && m2.gender == nil && m2.attrs.isEmpty)
    }

    @Test func textAfterAClosingQuoteIsStillMalformed() throws {
        let test = try TestStore()
        try test.expectFailure(
            "m.csv", "member,region\nm1,\"a\" b\n", kind: .members,
            endsWith: "m.csv:2: malformed CSV: unexpected characters after the closing quote of cell 2")
    }

    @Test func skipBadSurvivesAnUnterminatedQuoteOnTheLastLine() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "o.csv", "id,member,ts\no1,m1,2024-01-01\no2,m2,2024-01-02\no3,\"m3,2024-01-03",
            kind: .orders, options: ImportOptions(skipBad: true))
        #expect(summary.imported == 2 && summary.badRowCount == 1)
        #expect(summary.badRows.map(\.description).map { $0.hasSuffix("o.csv:4: malformed CSV: quoted cell is never closed (missing '\"')") } == [true])
        #expect(try test.store.counts().orders == 2)
    }

    @Test func skipBadResumesAfterAStrayQuote() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "o.csv", "id,member,ts\no1,m1,2024-01-01\no2,\"m2,2024-01-02\no3,m3,2024-01-03\n",
            kind: .orders, options: ImportOptions(skipBad: true))
        #expect(summary.imported == 2 && summary.badRows.map(\.line) == [3])
        let keys: [String] = try test.store.pool.read { db in try String.fetchAll(db, sql: "SELECT order_key FROM orders ORDER BY 1") }
        #expect(keys == ["o1", "o3"])
    }
}
