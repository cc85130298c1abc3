import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

/// Incremental runs write one snapshot row per changed member instead of a
/// new snapshot, later runs read them back, and a new base replaces them.
@Suite("Snapshot rows")
struct SnapshotRowsTests {
    /// A pop-reading score and a text feature, over `members` members with one order each.
    static func store(members: Int) throws -> TestStore {
        let store = try TestStore()
        var orders: [OrderInput] = []
        for i in 0..<members {
            let days = Double(i % 50) + 1
            let amount = Double(i % 17) * 10
            orders.append(OrderInput(member: "m\(i)", ts: TestStore.ago(days), amount: amount, category: i % 2 == 0 ? "pet" : "books"))
        }
        _ = try store.store.ingest(orders: orders)
        try store.write("spend.lua", """
            return tag "spend" { title = "t", category = "c", owner = "o", kind = "label", refresh = "hourly",
              features = { spend = sum("orders.amount"), top = mode("orders.category") },
              population = function(m) return m.spend > 0 end,
              evaluate = function(m, pop) return m.top .. ":" .. pop.ntile("spend", m.spend, 4) end }
            """)
        try store.approve("spend")
        return store
    }

    static func rows(_ store: TestStore) throws -> Int {
        try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM feature_snapshot_rows") ?? 0 }
    }

    static func base(_ store: TestStore) throws -> Data? {
        try store.pool.read { db in try Data.fetchOne(db, sql: "SELECT data FROM feature_snapshot_data") }
    }

    @Test func aSmallChangeWritesRowsThatTheNextRunReads() throws {
        let store = try Self.store(members: 200)
        #expect(try store.run().first?.kind == "full")
        let base = try Self.base(store)
        // Two members buy in a new category: two rows, the base untouched.
        _ = try store.store.ingest(orders: [
            OrderInput(member: "m3", ts: TestStore.ago(0.5), amount: 500, category: "toys"),
            OrderInput(member: "m4", ts: TestStore.ago(0.5), amount: 500, category: "toys"),
            OrderInput(member: "m4", ts: TestStore.ago(0.4), amount: 500, category: "toys"),
        ])
        let second = try #require(try store.run().first)
        #expect(second.kind == "incremental")
        #expect(try Self.rows(store) >= 2)
        #expect(try Self.base(store) == base)
        // The next change starts from base + rows: the values equal a full run.
        _ = try store.store.ingest(orders: [OrderInput(member: "m5", ts: TestStore.ago(0.5), amount: 5, category: "toys")])
        #expect(try store.run().first?.kind == "incremental")
        let incremental = try store.values("spend")
        #expect(incremental["m4"]?.hasPrefix("toys:") == true)
        _ = try store.runner.run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test", full: true)
        #expect(try store.values("spend") == incremental)
        // A full run writes a new base and drops the rows.
        #expect(try Self.rows(store) == 0)
    }

    @Test func aRuleWithoutPopReadsOnlyTheChangedMembers() throws {
        let store = try Self.store(members: 200)
        try store.write("big.lua", """
            return tag "big" { title = "t", category = "c", owner = "o", kind = "label", refresh = "hourly",
              features = { spend = sum("orders.amount", { within = "30d" }), top = mode("orders.category") },
              evaluate = function(m) if m.spend >= 100 then return m.top end end }
            """)
        try store.approve("big")
        _ = try store.run()
        let base = try store.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT d.data FROM feature_snapshot_data d JOIN tags t ON t.id = d.tag_id WHERE t.name = 'big'")
        }
        // The base's columns are damaged on purpose (its head and member ids
        // kept): a pass over the changed members never reads them.
        try store.pool.write { db in
            try db.execute(sql: """
                UPDATE feature_snapshot_data SET data = substr(data, 1, 16 + 8 * 200) || zeroblob(length(data) - 16 - 8 * 200)
                WHERE tag_id = (SELECT id FROM tags WHERE name = 'big')
                """)
        }
        _ = try store.store.ingest(orders: [OrderInput(member: "m1", ts: TestStore.ago(0.5), amount: 500, category: "toys")])
        let report = try #require(try store.runner.run(try store.registry.liveVersions(names: ["big"]), asOf: store.asOfDate, trigger: "test").first)
        #expect(report.kind == "incremental" && report.evaluated == 1)
        #expect(try store.values("big")["m1"] == "toys")
        // Restore the base: base + rows equal a full run.
        try store.pool.write { db in
            try db.execute(
                sql: "UPDATE feature_snapshot_data SET data = ? WHERE tag_id = (SELECT id FROM tags WHERE name = 'big')", arguments: [base])
        }
        _ = try store.store.ingest(orders: [OrderInput(member: "m2", ts: TestStore.ago(0.5), amount: 150, category: "toys")])
        #expect(try store.runner.run(try store.registry.liveVersions(names: ["big"]), asOf: store.asOfDate, trigger: "test").first?.kind == "incremental")
        #expect(try store.values("big") == (try PopReplayTests.fullRun(store, tag: "big")))
        // A member who joins after the snapshot takes the path that reads it.
        _ = try store.store.ingest(orders: [OrderInput(member: "newcomer", ts: TestStore.ago(0.5), amount: 300, category: "pet")])
        #expect(try store.runner.run(try store.registry.liveVersions(names: ["big"]), asOf: store.asOfDate, trigger: "test").first?.status == "succeeded")
        #expect(try store.values("big")["newcomer"] == "pet")
    }

    @Test func valuesWrittenOutsideRunsMakeTheNextRunCountAgain() throws {
        let store = try Self.store(members: 50)
        _ = try store.run()
        // Another writer (realtime evaluation, a merge) changes a value and records it in the history.
        try store.pool.write { db in
            let tag = try Int64.fetchOne(db, sql: "SELECT id FROM tags WHERE name = 'spend'") ?? 0
            let member = try Int64.fetchOne(db, sql: "SELECT member_id FROM member_tags WHERE tag_id = ? LIMIT 1", arguments: [tag]) ?? 0
            try db.execute(sql: "UPDATE member_tags SET value = 'elsewhere' WHERE tag_id = ? AND member_id = ?", arguments: [tag, member])
            try db.execute(
                sql: "INSERT INTO tag_history(tag_id, member_id, change, new_value, at, reason) VALUES (?, ?, 'changed', 'elsewhere', 0, 'test')",
                arguments: [tag, member])
        }
        _ = try store.store.ingest(orders: [OrderInput(member: "m1", ts: TestStore.ago(0.5), amount: 3, category: "pet")])
        let report = try #require(try store.run().first)
        #expect(report.kind == "incremental")
        #expect(report.topValues == (try Self.topValues(store, tag: "spend")))
    }

    @Test func aTagWithTooManyValuesToKeepCountsItsTopValuesEachRun() throws {
        let store = try TestStore()
        let many = TagDistribution.limit + 100
        _ = try store.store.ingest(orders: (0..<many).map { OrderInput(member: "m\($0)", ts: TestStore.ago(2), amount: Double($0) + 0.5) })
        try store.write("score.lua", """
            return tag "score" { title = "t", category = "c", owner = "o", kind = "score", refresh = "hourly",
              features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend end }
            """)
        try store.approve("score")
        _ = try store.run()
        #expect(try store.pool.read { db in try Row.fetchOne(db, sql: "SELECT counts FROM tag_distributions")?["counts"] as String? } == nil)
        _ = try store.store.ingest(orders: (0..<3).map { OrderInput(member: "m\($0)", ts: TestStore.ago(1), amount: 7) })
        let report = try #require(try store.run().first)
        #expect(report.kind == "incremental")
        let top = try Self.topValues(store, tag: "score")
        #expect(report.topValues == top && top.count == 5)
        #expect(top.first?.value == "7.5" && top.first?.count == 2)  // m0 now spent 7.5, as m7 did
    }

    /// A tag with too many values keeps its most held ones and a ceiling on
    /// the others; run after run, its top values equal a count of the store.
    @Test func theKeptTopValuesOfAManyValuedTagStayExact() throws {
        let store = try TestStore()
        // Skewed: a few values held by many, then 1,150 values held by one each.
        func amount(_ i: Int) -> Double {
            if i < 120 { return 1.5 }
            if i < 200 { return 2.5 }
            if i < 240 { return 3.5 }
            if i < 250 { return 4.5 }
            if i < 258 { return 5.5 }
            return Double(i) + 0.25
        }
        let amounts = (0..<1_400).map(amount)
        _ = try store.store.ingest(orders: amounts.enumerated().map { OrderInput(member: "m\($0)", ts: TestStore.ago(3), amount: $1) })
        try store.write("score.lua", """
            return tag "score" { title = "t", category = "c", owner = "o", kind = "score", refresh = "hourly",
              features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend end }
            """)
        try store.approve("score")
        _ = try store.run()
        var random = PopulationStatsTests.Random(state: 7_046_029_254_386_353_131)
        for round in 0..<12 {
            // Move some members between the big values, and some out of them.
            let orders = (0..<random.int(1...30)).map { _ in
                OrderInput(member: "m\(random.int(0...299))", ts: TestStore.ago(2), amount: [1.0, 2.0, 0.125][random.int(0...2)])
            }
            _ = try store.store.ingest(orders: orders)
            let report = try #require(try store.run().first)
            #expect(report.kind == "incremental")
            #expect(report.topValues == (try Self.topValues(store, tag: "score")), "round \(round)")
        }
        // What is kept tells the top values apart from the rest without a count.
        let kept = try store.pool.read { db -> [RunReport.ValueCount]? in
            let tagID = try Int64.fetchOne(db, sql: "SELECT id FROM tags WHERE name = 'score'") ?? 0
            guard case .top(let top) = try TagDistribution.load(tagID: tagID, in: db) else { return nil }
            #expect(top.counts.count == TagDistribution.keptTop && top.ceiling >= 1)
            return try top.updated(by: [:], tagID: tagID, in: db)?.values
        }
        #expect(kept == (try Self.topValues(store, tag: "score")))
        // Ties at the ceiling cannot be told apart: the tag is counted again.
        let even = TagDistribution.Top(counts: ["a": 3, "b": 2, "c": 2, "d": 2, "e": 2], ceiling: 2)
        #expect(try store.pool.read { db in try even.updated(by: [:], tagID: 0, in: db) } == nil)
    }

    /// What a tag keeps about its values is data in the store: damaged, it
    /// makes the run count again (or run in full), never report wrong values.
    @Test func aDamagedKeptDistributionIsCountedAgain() throws {
        let store = try Self.store(members: 60)
        _ = try store.run()
        // A wrong live count: the snapshot no longer matches, so the run is a full one.
        try store.pool.write { db in try db.execute(sql: "UPDATE tag_distributions SET live = live + 7") }
        _ = try store.store.ingest(orders: [OrderInput(member: "m3", ts: TestStore.ago(0.5), amount: 5, category: "toys")])
        #expect(try store.run().first?.kind == "full")
        #expect(try store.run().first?.kind == "incremental")
        // Unreadable counts: the top values are counted from the live values.
        try store.pool.write { db in try db.execute(sql: "UPDATE tag_distributions SET counts = 'not json', top = '{'") }
        _ = try store.store.ingest(orders: [OrderInput(member: "m4", ts: TestStore.ago(0.5), amount: 9, category: "toys")])
        let report = try #require(try store.run().first)
        #expect(report.kind == "incremental")
        #expect(report.topValues == (try Self.topValues(store, tag: "spend")))
    }

    /// The 5 most held live values of `tag`, counted in SQL.
    static func topValues(_ store: TestStore, tag: String) throws -> [RunReport.ValueCount] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT value, count(*) AS n FROM member_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?)
                GROUP BY value ORDER BY n DESC, value LIMIT 5
                """, arguments: [tag]).map { RunReport.ValueCount(value: $0["value"], count: $0["n"]) }
        }
    }

    @Test func rowsPastAnEighthOfTheMembersBecomeANewBase() throws {
        let store = try Self.store(members: 80)
        _ = try store.run()
        let base = try Self.base(store)
        _ = try store.store.ingest(orders: (0..<20).map { OrderInput(member: "m\($0)", ts: TestStore.ago(0.5), amount: 1) })
        #expect(try store.run().first?.kind == "incremental")
        #expect(try Self.rows(store) == 0)
        #expect(try Self.base(store) != base)
    }

    @Test func aDamagedRowMakesTheNextRunFull() throws {
        let store = try Self.store(members: 200)
        _ = try store.run()
        _ = try store.store.ingest(orders: [OrderInput(member: "m7", ts: TestStore.ago(0.5), amount: 900, category: "toys")])
        _ = try store.run()
        #expect(try Self.rows(store) > 0)
        let expected = try store.values("spend")
        try store.pool.write { db in try db.execute(sql: "UPDATE feature_snapshot_rows SET data = x'0102'") }
        _ = try store.store.ingest(orders: [OrderInput(member: "m8", ts: TestStore.ago(0.5), amount: 1, category: "pet")])
        let repaired = try #require(try store.run().first)
        #expect(repaired.kind == "full")
        #expect(try store.values("spend")["m7"] == expected["m7"])
    }
}
