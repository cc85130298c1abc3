import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

@Suite("Scheduler and shutdown", .serialized)
struct SchedulerTests {
    static func spender(_ evaluate: String = "m.spend > 0", refresh: String = "daily at 02:00") -> String {
        """
        return tag "spender" {
          title = "Spender", category = "value/spend", owner = "crm", kind = "flag", refresh = "\(refresh)",
          features = { spend = sum("orders.amount") },
          evaluate = function(m) \(evaluate) end,
        }
        """
    }

    /// `count` members, each with one order a day before `now`.
    static func seed(_ pool: DatabasePool, members count: Int, now: Date) throws {
        try pool.write { db in
            for i in 1...count {
                try db.execute(
                    sql: "INSERT INTO members(id, external_id, attrs, created_at, updated_at) VALUES (?, ?, '{}', 0, 0)",
                    arguments: [i, "m\(i)"])
                try db.execute(
                    sql: "INSERT INTO orders(member_id, ts, amount) VALUES (?, ?, 10)",
                    arguments: [i, Int64(now.timeIntervalSince1970) - 86_400])
            }
        }
    }

    func scheduledRuns(_ s: TestServer) throws -> [String] {
        try s.pool.read { db in try String.fetchAll(db, sql: "SELECT status FROM runs WHERE trigger = 'schedule' ORDER BY id") }
    }

    @Test func runsDueTagsOnceEachSlotAndCatchesUpOnce() async throws {
        let start = Date()
        let s = try await TestServer.start(now: start) { rules, pool in
            try Self.spender("return m.spend > 0").write(to: rules.appendingPathComponent("spender.lua"), atomically: true, encoding: .utf8)
            try Self.seed(pool, members: 5, now: start)
        }
        try s.approve("spender")
        // Never ran: due at once.
        #expect(try await s.eventually { try scheduledRuns(s).count == 1 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(try scheduledRuns(s) == ["succeeded"])
        // The next 02:00 slot.
        let schedule = try RefreshSchedule(parsing: "daily at 02:00")
        let slot = try #require(schedule.next(after: start))
        s.clock.withLockedValue { $0 = slot.addingTimeInterval(60) }
        #expect(try await s.eventually { try scheduledRuns(s).count == 2 })
        // Ten days of downtime: one catch-up run, not ten.
        s.clock.withLockedValue { $0 = slot.addingTimeInterval(10 * 86_400 + 120) }
        #expect(try await s.eventually { try scheduledRuns(s).count == 3 })
        try await Task.sleep(for: .milliseconds(400))
        #expect(try scheduledRuns(s).count == 3)
        let due = try s.server.state.registry.dueTags(at: s.clock.withLockedValue { $0 })
        #expect(due.first?.isDue == false)
        let metrics = try await s.send(.GET, "/metrics", as: nil)
        #expect(metrics.body.contains("tagd_runs_total{status=\"succeeded\",trigger=\"schedule\"} 3"))
        #expect(metrics.body.contains("tagd_scheduler_lag_seconds"))
        #expect(try s.server.state.registry.tags(ofMember: 1).first?.value == "true")
        try await s.stop()
    }

    @Test func shutdownDuringARunRollsItBack() async throws {
        let start = Date()
        // About a millisecond of Lua per member, 4,000 members: a run of several seconds.
        let slow = "local x = 0 for i = 1, 100000 do x = x + i end return m.spend > 0"
        let s = try await TestServer.start(now: start) { rules, pool in
            try Self.spender(slow).write(to: rules.appendingPathComponent("spender.lua"), atomically: true, encoding: .utf8)
            try Self.seed(pool, members: 4_000, now: start)
        }
        try s.approve("spender")
        try await Task.sleep(for: .milliseconds(700))
        let stopping = Date()
        try await s.stop()
        let stopSeconds = Date().timeIntervalSince(stopping)
        let runs = try await s.pool.read { db in try Row.fetchAll(db, sql: "SELECT status, error FROM runs") }
        #expect(runs.count == 1)
        #expect(runs.first?["status"] as String? == "failed")
        #expect((runs.first?["error"] as String?)?.contains("cancelled (shutdown); rolled back") == true)
        let live = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM member_tags") }
        #expect(live == 0)
        #expect(stopSeconds < 3, "shutdown took \(stopSeconds) s")
    }

    @Test func aSlowTagDoesNotHoldUpAnotherTagsSchedule() async throws {
        let start = Date()
        let slow = "local x = 0 for i = 1, 1000000 do x = x + i end return m.spend > 0"
        let s = try await TestServer.start(now: start) { rules, pool in
            try Self.spender(slow).write(to: rules.appendingPathComponent("spender.lua"), atomically: true, encoding: .utf8)
            try Self.spender("return m.spend > 0").replacingOccurrences(of: "\"spender\"", with: "\"quick\"")
                .write(to: rules.appendingPathComponent("quick.lua"), atomically: true, encoding: .utf8)
            try Self.seed(pool, members: 4_000, now: start)
        }
        try s.approve("spender")
        // The slow tag's run is under way...
        #expect(try await s.eventually { try s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM runs WHERE status = 'running'") } == 1 })
        try s.approve("quick")
        // ...and the quick tag, due now, runs on the next tick without waiting for it.
        let approved = Date()
        #expect(try await s.eventually(15) {
            try s.pool.read { db in
                try String.fetchOne(db, sql: "SELECT r.status FROM runs r JOIN tags t ON t.id = r.tag_id WHERE t.name = 'quick'")
            } == "succeeded"
        })
        #expect(Date().timeIntervalSince(approved) < 15)
        let slowStatus = try await s.pool.read { db in
            try String.fetchOne(db, sql: "SELECT r.status FROM runs r JOIN tags t ON t.id = r.tag_id WHERE t.name = 'spender'")
        }
        #expect(slowStatus == "running")
        try await s.stop()
    }
}
