import Foundation
import GRDB
import LuaHost
import MemberStore
import Testing

@testable import TagEngine

@Suite("Realtime expiry and population refresh", .serialized)
struct RealtimeExpiryTests {
    static let interest = """
        return tag "interest_users" {
          title = "Interest", category = "behaviour/intent", owner = "crm", kind = "flag", refresh = "realtime",
          features = {
            intents = count("events", { within = "7d", where = { type = { "cart", "favourite" } } }),
            orders  = count("orders", { within = "7d" }),
          },
          evaluate = function(m) return m.intents > 0 and m.orders == 0 end,
        }
        """

    static func at(_ days: Double) -> Date { Date(timeIntervalSince1970: TimeInterval(TestStore.asOf) + days * 86_400) }

    func engine(_ s: TestStore) -> RealtimeEngine {
        RealtimeEngine(pool: s.pool, limits: LuaLimits(instructionsPerCall: 1_000_000, memoryBytes: 32 << 20))
    }

    /// A full evaluation at `date` changes nothing (same pop: these rules use none).
    func expectFullRunAgrees(_ s: TestStore, _ tag: String, at date: Date) throws {
        let before = try s.values(tag)
        let reports = try s.runner.run(try s.registry.liveVersions(names: [tag]), asOf: date, trigger: "test")
        #expect(reports.first?.status == "succeeded")
        #expect(reports.first.map { $0.gained + $0.lost + $0.changed } == 0, "full run changed \(String(describing: reports.first))")
        #expect(try s.values(tag) == before)
    }

    func expiryHistory(_ s: TestStore) throws -> [String] {
        try s.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT m.external_id || ':' || h.change FROM tag_history h JOIN runs r ON r.id = h.run_id
                JOIN members m ON m.id = h.member_id WHERE r.trigger = 'expiry' ORDER BY m.external_id
                """)
        }
    }

    @Test func exactlyTheLapsedMembersLoseTheTagAndFutureRowsEnter() throws {
        let s = try TestStore()
        let day = TestStore.day
        _ = try s.store.ingest(members: ["a", "b", "c", "d", "e", "f", "g"].map { MemberInput(externalID: $0) })
        _ = try s.store.ingest(events: [
            EventInput(member: "a", ts: TestStore.ago(6.9), type: "cart"),  // lapses at +0.1 d
            EventInput(member: "b", ts: TestStore.ago(6.5), type: "cart"),  // lapses at +0.5 d
            EventInput(member: "c", ts: TestStore.ago(1), type: "favourite"),  // lapses at +6 d
            EventInput(member: "d", ts: TestStore.ago(6.95), type: "cart"),  // lapses at +0.05 d
            EventInput(member: "d", ts: TestStore.ago(6.0), type: "browse"),  // not an intent: keeps nothing alive
            EventInput(member: "e", ts: TestStore.ago(3), type: "cart"),  // bought at -6.98 d: gains at +0.02 d
            EventInput(member: "f", ts: TestStore.asOf + day / 5, type: "cart"),  // dated +0.2 d: enters then
            EventInput(member: "g", ts: TestStore.ago(10), type: "cart"),  // never
        ])
        _ = try s.store.ingest(orders: [
            OrderInput(member: "e", ts: TestStore.ago(6.98), amount: 5),
            OrderInput(member: "d", ts: TestStore.ago(8), amount: 5),
        ])
        try s.write("interest.lua", Self.interest)
        try s.approve("interest_users")
        let engine = engine(s)
        try engine.reloadIfNeeded(at: s.asOfDate)
        #expect(try s.values("interest_users") == ["a": "true", "b": "true", "c": "true", "d": "true"])

        // Nothing lapsed yet.
        let early = try engine.expire(at: Self.at(0.01))
        #expect(early.members == 0 && early.changes.isEmpty)

        let t = Self.at(0.3)
        let outcome = try engine.expire(at: t)
        #expect(outcome.errors.isEmpty)
        // Exactly the members whose windows moved: a and d lapse, e's order lapses, f's cart comes due.
        #expect(outcome.members == 4)
        #expect(try s.values("interest_users") == ["b": "true", "c": "true", "e": "true", "f": "true"])
        #expect(try expiryHistory(s) == ["a:lost", "d:lost", "e:gained", "f:gained"])
        // Lags: a lapsed 0.2 d before, d 0.25, e 0.28, f 0.1.
        let lags = try #require(outcome.lags).sorted()
        #expect(lags == [0.1, 0.2, 0.25, 0.28].map { ($0 * Double(day)).rounded() })
        try expectFullRunAgrees(s, "interest_users", at: t)

        // The same time again: nothing to do. Later: b lapses too.
        #expect(try engine.expire(at: t).members == 0)
        let later = try engine.expire(at: Self.at(0.6))
        #expect(later.members == 1)
        #expect(later.changes.map(\.member) == ["b"])
        #expect(try s.values("interest_users") == ["c": "true", "e": "true", "f": "true"])
        try expectFullRunAgrees(s, "interest_users", at: Self.at(0.6))
    }

    @Test func daysSinceFlipsAtTheDayBoundary() throws {
        let s = try TestStore()
        _ = try s.store.ingest(members: ["p", "q", "r"].map { MemberInput(externalID: $0) })
        _ = try s.store.ingest(orders: [
            OrderInput(member: "p", ts: TestStore.ago(2.5), amount: 5),  // 2 days; 3 at +0.5 d
            OrderInput(member: "p", ts: TestStore.ago(9), amount: 5),
            OrderInput(member: "q", ts: TestStore.ago(0.25), amount: 5),  // 0 days; 1 at +0.75 d
            OrderInput(member: "q", ts: TestStore.ago(5.25), amount: 5, category: "books"),  // `d`: 5 days; 6 at +0.75 d
            OrderInput(member: "r", ts: TestStore.ago(30.9), amount: 5, category: "pet"),  // 30 days; 31 at +0.1 d
        ])
        try s.write("recency.lua", """
            return tag "recency" {
              title = "Days since last order", category = "value/recency", owner = "crm", kind = "score",
              refresh = "realtime",
              features = { d = days_since("orders", { where = { category = { "books" } } }), any = days_since("orders") },
              evaluate = function(m) return m.any end,
            }
            """)
        try s.approve("recency")
        let engine = engine(s)
        try engine.reloadIfNeeded(at: s.asOfDate)
        let start = try s.values("recency")
        #expect(start.count == 3)

        let r = try engine.expire(at: Self.at(0.2))
        #expect(r.members == 1)
        #expect(r.changes.map(\.member) == ["r"])
        let none = try engine.expire(at: Self.at(0.4))
        #expect(none.members == 0)
        let first = try engine.expire(at: Self.at(0.6))
        #expect(first.members == 1)
        #expect(first.changes.map(\.member) == ["p"])
        #expect(try #require(first.lags).map { $0.rounded() } == [(0.1 * 86_400).rounded()])
        try expectFullRunAgrees(s, "recency", at: Self.at(0.6))
        let second = try engine.expire(at: Self.at(0.8))
        #expect(second.changes.map(\.member) == ["q"])
        try expectFullRunAgrees(s, "recency", at: Self.at(0.8))
        // A gap of more than a day: every member with rows changes.
        let gap = try engine.expire(at: Self.at(3))
        #expect(gap.members == 3 && gap.changes.count == 3)
        try expectFullRunAgrees(s, "recency", at: Self.at(3))
    }

    @Test func populationStatisticsAreRecomputedWhenTheirCyclePasses() throws {
        let s = try TestStore()
        _ = try s.store.ingest(members: ["x", "y"].map { MemberInput(externalID: $0) })
        _ = try s.store.ingest(orders: [
            OrderInput(member: "x", ts: TestStore.ago(1), amount: 10),
            OrderInput(member: "y", ts: TestStore.ago(1), amount: 30),
        ])
        try s.write("big.lua", """
            return tag "big_spender" {
              title = "Above the mean", category = "value/spend", owner = "crm", kind = "flag",
              refresh = "realtime", pop_refresh = "hourly",
              features = { spend = sum("orders.amount") },
              evaluate = function(m, pop) return m.spend > pop.mean "spend" end,
            }
            """)
        try s.approve("big_spender")
        let engine = engine(s)
        try engine.reloadIfNeeded(at: s.asOfDate)
        #expect(engine.populationTimes["big_spender"] == TestStore.asOf)
        #expect(try s.values("big_spender") == ["y": "true"])  // mean 20

        // New data, evaluated against the statistics of the load (mean 20).
        _ = try s.store.ingest(members: [MemberInput(externalID: "z"), MemberInput(externalID: "v")])
        _ = try s.store.ingest(orders: [
            OrderInput(member: "z", ts: TestStore.ago(0.5), amount: 1_000),
            OrderInput(member: "v", ts: TestStore.ago(0.5), amount: 100),
        ])
        let ids = try s.pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM members WHERE external_id IN ('z', 'v')") }
        _ = try engine.evaluate(members: ids, at: Self.at(0.01))
        #expect(try s.values("big_spender") == ["y": "true", "z": "true", "v": "true"])

        // Within the hour: not due.
        #expect(try engine.refreshPopulations(at: Date(timeIntervalSince1970: TimeInterval(TestStore.asOf + 1_800))).isEmpty)
        // Past the next hourly slot: a full run with fresh statistics (mean 285).
        let refreshed = Date(timeIntervalSince1970: TimeInterval(TestStore.asOf + 3_601))
        let reports = try engine.refreshPopulations(at: refreshed)
        #expect(reports.map(\.tag) == ["big_spender"])
        #expect(reports.first?.status == "succeeded", "\(String(describing: reports.first?.error))")
        #expect(engine.populationTimes["big_spender"] == TestStore.asOf + 3_601)
        #expect(try s.values("big_spender") == ["z": "true"])
        let trigger = try s.pool.read { db in
            try String.fetchOne(db, sql: "SELECT trigger FROM runs ORDER BY id DESC LIMIT 1")
        }
        #expect(trigger == "realtime-full")
        // Later evaluations use the fresh statistics: 100 is no longer above the mean.
        _ = try s.store.ingest(members: [MemberInput(externalID: "w")])
        _ = try s.store.ingest(orders: [OrderInput(member: "w", ts: TestStore.ago(0.1), amount: 100)])
        let w = try s.pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM members WHERE external_id = 'w'") }
        _ = try engine.evaluate(members: [try #require(w)], at: refreshed)
        #expect(try s.values("big_spender")["w"] == nil)
        #expect(try engine.refreshPopulations(at: refreshed.addingTimeInterval(60)).isEmpty)
    }

    @Test func readersOfAnExpiredTagFollowIt() throws {
        let s = try TestStore()
        _ = try s.store.ingest(members: ["a", "b"].map { MemberInput(externalID: $0) })
        _ = try s.store.ingest(events: [
            EventInput(member: "a", ts: TestStore.ago(6.9), type: "cart"),
            EventInput(member: "b", ts: TestStore.ago(2), type: "cart"),
        ])
        try s.write("interest.lua", Self.interest.replacingOccurrences(of: "refresh = \"realtime\",", with: "refresh = \"realtime\", pop_refresh = \"hourly\","))
        try s.write("follow.lua", """
            return tag "follows_interest" {
              title = "Reads interest_users", category = "behaviour/intent", owner = "crm", kind = "flag",
              refresh = "realtime",
              evaluate = function(m) return m.tags.interest_users ~= nil end,
            }
            """)
        try s.approve("interest_users")
        try s.approve("follows_interest")
        let engine = engine(s)
        try engine.reloadIfNeeded(at: s.asOfDate)
        #expect(try s.values("follows_interest") == ["a": "true", "b": "true"])
        let outcome = try engine.expire(at: Self.at(0.2))
        #expect(outcome.changes.map { "\($0.tag):\($0.member)" } == ["interest_users:a", "follows_interest:a"])
        #expect(try s.values("follows_interest") == ["b": "true"])
        #expect(try #require(outcome.lags).map { $0.rounded() } == [8_640, 8_640])
        // interest_users's hourly statistics come due; its reader (daily) runs with it.
        let reports = try engine.refreshPopulations(at: Date(timeIntervalSince1970: TimeInterval(TestStore.asOf + 3_601)))
        #expect(reports.map(\.tag).sorted() == ["follows_interest", "interest_users"])
        #expect(try engine.refreshPopulations(at: Date(timeIntervalSince1970: TimeInterval(TestStore.asOf + 3_700))).isEmpty)
    }

    @Test("pop_refresh is checked", arguments: [("realtime", "not realtime"), ("sometimes", "pop_refresh")])
    func popRefreshIsChecked(value: String, message: String) throws {
        let source = """
            return tag "t" { title = "T", category = "c/d", owner = "o", kind = "flag", refresh = "realtime",
              pop_refresh = "\(value)", evaluate = function() end }
            """
        let error = #expect(throws: RuleError.self) { try RuleLoader(lua: try LuaState()).load(source: source, file: "rules/t.lua") }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        let ok = try RuleLoader(lua: try LuaState()).load(
            source: source.replacingOccurrences(of: "\"\(value)\"", with: "\"every 15m\""), file: "rules/t.lua")
        #expect(ok.popRefresh == "every 15m")
    }
}
