import GRDB
import Testing

@testable import MemberStore

/// Files larger than one read chunk and one hand-off batch.
@Suite struct LargeImportTests {
    private func ordersCSV(rows: Int, badAt bad: Set<Int> = []) -> String {
        var text = "id,member,ts,amount\n"
        for row in 1...rows {
            let amount = bad.contains(row) ? "oops" : "\(row % 100).5"
            text += "o\(row),m\(row % 97),\(1_700_000_000 + row),\(amount)\n"
        }
        return text
    }

    @Test func lateBadRowRollsBackEverythingWritten() throws {
        let test = try TestStore()
        _ = try test.importText("seed.csv", "id,member,ts\nseed,m1,1\n", kind: .orders)
        let before = try test.snapshot()
        var options = ImportOptions()
        options.chunkSize = 4096
        let error = try test.importFailure(
            "orders.csv", ordersCSV(rows: 12_000, badAt: [11_000]), kind: .orders, options: options)
        #expect(error.line == 11_001)
        #expect(error.fieldErrors == [FieldError(field: "amount", reason: #""oops" is not a number"#)])
        #expect(try test.snapshot() == before)
        // The store is still usable afterwards.
        let summary = try test.importText("orders2.csv", ordersCSV(rows: 5_000), kind: .orders)
        #expect(summary.imported == 5_000 && summary.membersCreated == 96)
    }

    @Test func skipBadOverManyBatchesCapsReportedErrors() throws {
        let test = try TestStore()
        var options = ImportOptions(skipBad: true, progressEvery: 1_000)
        options.maxReportedErrors = 5
        let bad = Set(stride(from: 7, through: 9_000, by: 1_000))
        nonisolated(unsafe) var reports: [ImportProgress] = []
        let path = try test.fixture("orders.csv", ordersCSV(rows: 9_000, badAt: bad))
        let summary = try test.store.importFile(path, kind: .orders, options: options) { reports.append($0) }
        #expect(summary.rowsRead == 9_000)
        #expect(summary.imported == 9_000 - bad.count)
        #expect(summary.badRowCount == bad.count && summary.badRows.count == 5)
        #expect(summary.badRows.first?.line == 8)
        #expect(reports.count == 10 && reports.last?.isFinished == true)
        #expect(reports.map(\.bytesRead) == reports.map(\.bytesRead).sorted())
        #expect(try test.store.counts().orders == 9_000 - bad.count)
    }

    @Test func attrsNullRemovesAKeyOnUpdate() throws {
        let test = try TestStore()
        _ = try test.importText("a.ndjson", #"{"member":"m1","vip":true,"tier":"gold"}"#, kind: .members)
        _ = try test.importText("b.ndjson", #"{"member":"m1","vip":null,"points":3}"#, kind: .members)
        #expect(try test.store.member(externalID: "m1")?.attrs == ["tier": "gold", "points": 3])
    }
}
