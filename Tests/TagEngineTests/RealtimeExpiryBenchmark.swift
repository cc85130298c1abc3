import Foundation
import GRDB
import LuaHost
import Testing

import TagDemo
@testable import TagEngine

/// The cost and lag of realtime expiry over demo data; runs only with
/// `TAGD_EXPIRY_BENCH=<members>` set (e.g. 200000), printing its figures.
@Suite("Realtime expiry benchmark")
struct RealtimeExpiryBenchmark {
    static let members = Int(ProcessInfo.processInfo.environment["TAGD_EXPIRY_BENCH"] ?? "") ?? 0

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
    }

    @Test(.enabled(if: members > 0)) func expiryTicks() throws {
        let s = try TestStore()
        let start = s.asOfDate
        let generated = try DemoGenerator(options: .init(members: Self.members, asOf: start)).generate(into: s.pool)
        print("bench: \(generated.members) members, \(generated.events) events, \(generated.orders) orders in \(String(format: "%.1f", generated.seconds)) s")
        try s.write("interest.lua", RealtimeExpiryTests.interest)
        try s.write("recency.lua", """
            return tag "recency" {
              title = "Days since last order", category = "value/recency", owner = "crm", kind = "score",
              refresh = "realtime", features = { d = days_since("orders") }, evaluate = function(m) return m.d end,
            }
            """)
        try s.approve("interest_users")
        try s.approve("recency")
        let engine = RealtimeEngine(pool: s.pool, limits: LuaLimits(instructionsPerCall: 1_000_000, memoryBytes: 32 << 20))
        let loading = Date()
        try engine.reloadIfNeeded(at: start)
        print("bench: full realtime run at load \(String(format: "%.2f", Date().timeIntervalSince(loading))) s")
        for (label, tick, count) in [("5 s ticks", 5.0, 120), ("5 min ticks", 300.0, 24), ("1 day gap", 86_400.0, 1)] {
            var lags: [Double] = []
            var seconds: [Double] = []
            var members = 0
            var changes = 0
            let from = Date()
            var now = Date(timeIntervalSince1970: (try s.pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT max(as_of) FROM runs") ?? 0
            }).map(TimeInterval.init) ?? start.timeIntervalSince1970)
            for _ in 0..<count {
                now = now.addingTimeInterval(tick)
                let outcome = try engine.expire(at: now)
                lags += outcome.lags ?? []
                seconds.append(outcome.seconds)
                members += outcome.members
                changes += outcome.changes.count
            }
            lags.sort()
            seconds.sort()
            print("bench: \(label) x\(count): \(members) members re-evaluated, \(changes) changes, "
                + "tick p50 \(String(format: "%.1f", Self.percentile(seconds, 0.5) * 1000)) ms p99 \(String(format: "%.1f", Self.percentile(seconds, 0.99) * 1000)) ms, "
                + "wall \(String(format: "%.2f", Date().timeIntervalSince(from))) s, lag p50 \(Self.percentile(lags, 0.5)) s p99 \(Self.percentile(lags, 0.99)) s max \(lags.last ?? 0) s")
        }
    }
}
