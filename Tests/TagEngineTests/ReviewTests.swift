import Foundation
import GRDB
import Testing

@testable import TagEngine

@Suite("Culling review")
struct ReviewTests {
    static func rule(_ name: String, _ expression: String, refresh: String = "daily at 02:00") -> String {
        """
        return tag "\(name)" { title = "T", category = "t/r", owner = "crm", kind = "flag", refresh = "\(refresh)",
          features = { spend = sum("orders.amount") }, evaluate = function(m) return \(expression) end }
        """
    }

    /// Four tags run three times as of the reference time: one empty, one
    /// universal, one failing and one healthy; then `healthy` is read.
    func reviewStore() throws -> TestStore {
        let store = try TestStore()
        try store.seed()
        try store.write("empty.lua", Self.rule("empty", "false"))
        try store.write("universal.lua", Self.rule("universal", "true"))
        try store.write("failing.lua", Self.rule("failing", "error('bad data')"))
        try store.write("healthy.lua", Self.rule("healthy", "m.spend > 0"))
        for name in ["empty", "universal", "failing", "healthy"] { try store.approve(name) }
        for _ in 0..<3 { _ = try store.run() }
        TagReads.record(["healthy"], via: "cli", pool: store.pool, at: store.asOfDate)
        return store
    }

    func reasons(_ store: TestStore, at now: Date, unreadDays: Int = 30) throws -> [String: [String]] {
        let candidates = try CullingReview(pool: store.pool).candidates(.init(runs: 3, unreadDays: unreadDays, now: now))
        return Dictionary(uniqueKeysWithValues: candidates.map { ($0.name, $0.reasons) })
    }

    @Test func findsEmptyUniversalAndFailingTags() throws {
        let store = try reviewStore()
        // Judged one hour after the runs: nothing is stale; unread needs 30 days.
        let found = try reasons(store, at: store.asOfDate.addingTimeInterval(3_600))
        #expect(found["empty"] == ["empty: no member had it in the last 3 runs", "no dependants"])
        #expect(found["universal"] == ["universal: every member had it in the last 3 runs", "no dependants"])
        #expect(found["failing"] == ["the last 3 runs failed", "no dependants"])
        #expect(found["healthy"] == nil)
    }

    @Test func findsStaleOrphanedAndUnreadTags() throws {
        let store = try reviewStore()
        try FileManager.default.removeItem(at: store.rules.appendingPathComponent("healthy.lua"))
        try store.registry.sync(try store.scan())
        // Ten days later nobody ran the daily tags; healthy was read ten days ago.
        let later = store.asOfDate.addingTimeInterval(10 * 86_400)
        let found = try reasons(store, at: later, unreadDays: 5)
        let healthy = try #require(found["healthy"])
        #expect(healthy.contains("orphaned: its rule file is gone"))
        #expect(healthy.contains("stale: 10 refresh slots (daily at 02:00) missed"))
        #expect(healthy.contains("not read for 5+ days"))
        // Approval happened at the wall clock: ten days after it, empty was never read.
        let afterApproval = try reasons(store, at: Date().addingTimeInterval(10 * 86_400), unreadDays: 5)
        #expect(afterApproval["empty"]?.contains("never read in 5+ days active") == true)
    }

    @Test func dependantsAreListed() throws {
        let store = try reviewStore()
        try store.write("fans.lua", Self.rule("fans", "m.tags.universal == 'true'", refresh: "hourly"))
        try store.approve("fans")
        let candidate = try CullingReview(pool: store.pool).candidates(.init(now: store.asOfDate)).first { $0.name == "universal" }
        #expect(candidate?.dependants == ["fans"])
        #expect(candidate?.reasons.contains("no dependants") == false)
    }
}
