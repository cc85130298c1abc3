import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

/// A member's history across tags, read through the `(tag_id, member_id)` index.
@Suite("Member history")
struct MemberHistoryTests {
    @Test func newestFirstAcrossTagsAndOnlyTheMembers() throws {
        let store = try TestStore()
        _ = try store.store.ingest(orders: [
            OrderInput(member: "a", ts: TestStore.ago(3), amount: 50), OrderInput(member: "b", ts: TestStore.ago(40), amount: 5),
        ])
        try store.write("spend.lua", """
            return tag "spender" { title = "t", category = "c", owner = "o", kind = "flag", refresh = "hourly",
              features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend > 10 end }
            """)
        try store.write("recent.lua", """
            return tag "recent" { title = "t", category = "c", owner = "o", kind = "flag", refresh = "hourly",
              features = { n = count("orders", { within = "7d" }) }, evaluate = function(m) return m.n > 0 end }
            """)
        try store.approve("spender")
        _ = try store.run(["spender"])
        try store.approve("recent")
        _ = try store.run(["recent"])
        let a = try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM members WHERE external_id = 'a'") ?? 0 }
        let entries = try store.pool.read { db in try MemberHistory.entries(memberID: a, limit: 10, in: db) }
        #expect(entries.map(\.tag) == ["recent", "spender"])
        #expect(entries.allSatisfy { $0.change == "gained" && $0.new == "true" && $0.runID != nil })
        let one = try store.pool.read { db in try MemberHistory.entries(memberID: a, limit: 1, in: db) }
        #expect(one.map(\.tag) == ["recent"])
        let plan = try store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM tag_history WHERE tag_id = 1 AND member_id = ?", arguments: [a])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("tag_history_tag_member") })
    }
}
