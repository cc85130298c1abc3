import GRDB
import Testing

@testable import MemberStore

@Suite struct SkipBadAndIdempotencyTests {
    @Test func skipBadStoresGoodRowsAndReportsBadOnes() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "orders.csv",
            """
            id,member,ts,amount
            o1,m1,2024-01-01,1
            o2,m1,yesterday,2
            o3,m2,2024-01-02,x
            o4,m2,2024-01-03
            "o5"x,m3,2024-01-04,5
            """, kind: .orders, options: ImportOptions(skipBad: true))
        #expect(summary.imported == 1)
        #expect(summary.badRowCount == 4)
        #expect(summary.badRows.map(\.line) == [3, 4, 5, 6])
        #expect(summary.badRows[1].description.hasSuffix(#"orders.csv:4: column 'amount': "x" is not a number"#))
        #expect(summary.membersCreated == 1)
        #expect(try test.store.counts() == StoreCounts(members: 1, identities: 0, orders: 1, events: 0))
        #expect(summary.description.hasSuffix("; 1 members created; 4 bad rows"))
    }

    @Test func skipBadNDJSONSkipsInvalidLines() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "events.ndjson", "{\"member\":\"m1\",\"ts\":1,\"type\":\"share\"}\nnot json\n{\"member\":\"m1\",\"ts\":2}\n",
            kind: .events, options: ImportOptions(skipBad: true))
        #expect(summary.imported == 1 && summary.badRowCount == 2)
        #expect(summary.badRows.map { $0.fieldErrors.map(\.field) } == [[], ["type"]])
    }

    @Test func keysMakeReimportIdempotent() throws {
        let test = try TestStore()
        let csv = "id,member,ts,amount\no1,m1,2024-01-01,1\no2,m2,2024-01-02,2\n,m2,2024-01-03,3\n"
        let first = try test.importText("orders.csv", csv, kind: .orders)
        #expect(first.imported == 3 && first.duplicates == 0 && first.membersCreated == 2)
        let second = try test.importText("orders.csv", csv, kind: .orders)
        #expect(second.imported == 1 && second.duplicates == 2 && second.membersCreated == 0)
        #expect(second.description.contains("; 2 duplicates ignored;"))
        #expect(try test.store.counts().orders == 4)

        let events = "{\"id\":\"e1\",\"member\":\"m1\",\"ts\":1,\"type\":\"browse\"}\n"
        _ = try test.importText("e.ndjson", events + events, kind: .events)
        let again = try test.importText("e.ndjson", events, kind: .events)
        #expect(again.duplicates == 1 && again.imported == 0)
        #expect(try test.store.counts().events == 1)
    }

    @Test func ingestAPIWritesBatchesInOneTransaction() throws {
        let test = try TestStore()
        let counts = try test.store.ingest([
            .member(MemberInput(externalID: "m1", level: 1, identities: ["wechat": "wx"])),
            .order(OrderInput(member: "m1", ts: 10, amount: 2, key: "k1")),
            .order(OrderInput(member: "m9", ts: 11, key: "k1")),
            .event(EventInput(member: "m9", ts: 12, type: "cart", props: ["sku": "A"])),
        ])
        #expect(counts.inserted == 3 && counts.duplicates == 1 && counts.createdMembers == 2)
        #expect(counts.identities == 1)
        #expect(try test.store.member(externalID: "m9")?.level == nil)
    }

    @Test func progressIsReportedPeriodicallyAndAtTheEnd() throws {
        let test = try TestStore()
        let path = try test.fixture("m.csv", "member\n" + (1...25).map { "m\($0)" }.joined(separator: "\n"))
        nonisolated(unsafe) var reports: [ImportProgress] = []
        let summary = try test.store.importFile(
            path, kind: .members, options: ImportOptions(progressEvery: 10)) { reports.append($0) }
        #expect(reports.map(\.rowsRead) == [10, 20, 25])
        #expect(reports.last?.isFinished == true && reports.last?.fraction == 1)
        #expect(summary.description.hasPrefix("imported 25 members from \(path) in "))
    }
}
