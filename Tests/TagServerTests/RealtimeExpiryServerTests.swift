import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

@Suite("Realtime expiry in the server", .serialized)
struct RealtimeExpiryServerTests {
    /// The shipped rule, read from the repository's rules/ folder.
    static func shippedInterestUsers() throws -> String {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: repo.appendingPathComponent("rules/behaviour/interest_users.lua"), encoding: .utf8)
    }

    @Test func aMemberLeavesInterestUsersWithoutNewData() async throws {
        let start = Date(timeIntervalSince1970: 1_764_547_200)
        let now = Int64(start.timeIntervalSince1970)
        let s = try await TestServer.start(now: start) { rules, pool in
            try Self.shippedInterestUsers().write(to: rules.appendingPathComponent("interest_users.lua"), atomically: true, encoding: .utf8)
            try pool.write { db in
                for (id, name) in [(1, "m1"), (2, "m2")] {
                    try db.execute(
                        sql: "INSERT INTO members(id, external_id, attrs, created_at, updated_at) VALUES (?, ?, '{}', 0, 0)",
                        arguments: [id, name])
                }
                // m1 carted 6 days ago; m2 favourited 1 day ago.
                try db.execute(sql: "INSERT INTO events(member_id, ts, type) VALUES (1, ?, 'cart')", arguments: [now - 6 * 86_400])
                try db.execute(sql: "INSERT INTO events(member_id, ts, type) VALUES (2, ?, 'favourite')", arguments: [now - 86_400])
            }
        }
        try s.approve("interest_users")
        let registry = s.server.state.registry
        #expect(try await s.eventually { try registry.tags(ofMember: 1).first?.value == "true" })
        #expect(try registry.tags(ofMember: 2).first?.value == "true")
        // Two days later, no new data: m1's cart left the 7-day window a day ago.
        s.clock.withLockedValue { $0 = start.addingTimeInterval(2 * 86_400) }
        #expect(try await s.eventually(30) { try registry.tags(ofMember: 1).isEmpty })
        #expect(try registry.tags(ofMember: 2).first?.value == "true")
        let history = try await s.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.change, r.trigger, r.members FROM tag_history h JOIN runs r ON r.id = h.run_id
                WHERE h.member_id = 1 ORDER BY h.id
                """).map { "\($0[0] as String)/\($0[1] as String)/\($0[2] as Int)" }
        }
        #expect(history == ["gained/realtime-full/2", "lost/expiry/1"])
        let metrics = try await s.send(.GET, "/metrics", as: nil)
        #expect(metrics.body.contains("tagd_realtime_expiry_members_total 1"), "\(metrics.body)")
        #expect(metrics.body.contains("tagd_realtime_expiry_lag_seconds_count 1"))
        #expect(metrics.body.contains("tagd_realtime_expiry_lag_seconds_sum 86400"))
        try await s.stop()
    }
}

@Suite("Realtime population refresh in the server", .serialized)
struct RealtimePopulationServerTests {
    @Test func theSchedulerRecomputesStatisticsEachCycle() async throws {
        let start = Date(timeIntervalSince1970: 1_764_547_200 + 60)
        let now = Int64(start.timeIntervalSince1970)
        let s = try await TestServer.start(now: start) { rules, pool in
            try """
                return tag "big_spender" {
                  title = "Above the mean", category = "value/spend", owner = "crm", kind = "flag",
                  refresh = "realtime", pop_refresh = "hourly",
                  features = { spend = sum("orders.amount") },
                  evaluate = function(m, pop) return m.spend > pop.mean "spend" end,
                }
                """.write(to: rules.appendingPathComponent("big.lua"), atomically: true, encoding: .utf8)
            try pool.write { db in
                for (id, amount) in [(1, 10), (2, 30)] {
                    try db.execute(
                        sql: "INSERT INTO members(id, external_id, attrs, created_at, updated_at) VALUES (?, ?, '{}', 0, 0)",
                        arguments: [id, "m\(id)"])
                    try db.execute(sql: "INSERT INTO orders(member_id, ts, amount) VALUES (?, ?, ?)", arguments: [id, now - 600, amount])
                }
            }
        }
        try s.approve("big_spender")
        let realtime = s.server.state.realtime
        #expect(try await s.eventually { realtime.populationTimes["big_spender"] == now })
        // A big order stored without the engine (an import): pop stays as it was until the next slot.
        try await s.pool.write { db in
            try db.execute(sql: "INSERT INTO orders(member_id, ts, amount) VALUES (1, ?, 100)", arguments: [now - 300])
        }
        s.clock.withLockedValue { $0 = start.addingTimeInterval(1_800) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(realtime.populationTimes["big_spender"] == now)
        s.clock.withLockedValue { $0 = start.addingTimeInterval(3_600) }
        #expect(try await s.eventually { realtime.populationTimes["big_spender"] == now + 3_600 })
        #expect(try s.server.state.registry.tags(ofMember: 1).first?.value == "true")
        #expect(try s.server.state.registry.tags(ofMember: 2).isEmpty)
        try await s.stop()
    }
}
