import GRDB
import Testing

@testable import MemberStore

/// Oversized records, byte order marks, duplicate names and deep nesting.
@Suite struct HostileInputTests {
    private func smallLimit() -> ImportOptions {
        var options = ImportOptions(skipBad: true)
        options.maxRecordBytes = 64
        options.chunkSize = 16
        return options
    }

    @Test func anUnclosedQuoteCannotPullTheWholeFileIntoMemory() throws {
        let test = try TestStore()
        _ = try test.importText("seed.csv", "member\nm0\n", kind: .members)
        let before = try test.snapshot()
        let rows = (2...20).map { "m\($0),b" }.joined(separator: "\n")
        try test.expectFailure(
            "m.csv", "member,region\nm1,a\nm2,\"never closed\n" + rows, kind: .members, options: smallLimit(),
            endsWith: "m.csv:3: record longer than 64 bytes (an unclosed quote?); raise ImportOptions.maxRecordBytes if it is real")
        #expect(try test.snapshot() == before)
    }

    @Test func anOverlongNDJSONLineStopsTheImport() throws {
        let test = try TestStore()
        let long = "{\"member\":\"m2\",\"note\":\"\(String(repeating: "x", count: 100))\"}"
        try test.expectFailure(
            "m.ndjson", "{\"member\":\"m1\"}\n\(long)\n{\"member\":\"m3\"}\n", kind: .members, options: smallLimit(),
            endsWith: "m.ndjson:2: record longer than 64 bytes (an unclosed quote?); raise ImportOptions.maxRecordBytes if it is real")
        try test.expectFailure(
            "n.ndjson", long, kind: .members, options: smallLimit(),
            endsWith: "n.ndjson:1: record longer than 64 bytes (an unclosed quote?); raise ImportOptions.maxRecordBytes if it is real")
        #expect(try test.store.counts().members == 0)
    }

    @Test func recordsWithinTheLimitStillImport() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "m.ndjson", "{\"member\":\"m1\"}\n{\"member\":\"m2\",\"note\":\"\(String(repeating: "y", count: 30))\"}\n",
            kind: .members, options: smallLimit())
        #expect(summary.imported == 2)
    }

    @Test func byteOrderMarkIsSkippedInNDJSONAndSniffing() throws {
        let test = try TestStore()
        let ndjson = try test.importText("m.ndjson", "\u{FEFF}{\"member\":\"m1\"}\n", kind: .members)
        let sniffed = try test.importText("m.txt", "\u{FEFF}{\"member\":\"m2\"}\n", kind: .members)
        #expect(ndjson.imported == 1 && sniffed.format == .ndjson)
        #expect(try test.store.member(externalID: "m1") != nil && test.store.member(externalID: "m2") != nil)
    }

    @Test func aByteOrderMarkInsideTheFileIsNotSkipped() throws {
        let test = try TestStore()
        _ = try test.importText("m.csv", "member\n\u{FEFF}m1\n", kind: .members)
        #expect(try test.store.member(externalID: "m1") == nil)
        #expect(try test.store.member(externalID: "\u{FEFF}m1") != nil)
    }

    @Test func duplicateNamesAreErrors() throws {
        let test = try TestStore()
        try test.expectFailure(
            "m.csv", "member,\" region\",region \nm1,a,b\n", kind: .members, endsWith: "m.csv:1: duplicate column 'region'")
        try test.expectFailure(
            "m.ndjson", "{\"member\":\"m1\"}\n{\"member\":\"m2\",\"member\":\"m3\"}\n", kind: .members,
            endsWith: "m.ndjson:2: invalid JSON: duplicate key \"member\" at column 16")
        #expect(try test.store.counts().members == 0)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let test = try TestStore()
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        try test.expectFailure(
            "e.ndjson", "{\"member\":\"m1\",\"ts\":1,\"type\":\"x\",\"deep\":\(deep)}\n", kind: .events,
            endsWith: "e.ndjson:1: invalid JSON: nesting too deep at column 296 (field 'deep')")
    }
}
