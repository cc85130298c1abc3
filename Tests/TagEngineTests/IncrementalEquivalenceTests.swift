import Foundation
import GRDB
import LuaHost
import MemberStore
import Testing

@testable import TagEngine

/// The proof that incremental runs are exact: random member histories
/// (orders and events around window edges, late rows with old timestamps,
/// rows dated in the future, attribute changes), random sequences of "add
/// data, advance time, run", and after every step the live values of every
/// shipped rule and segment equal those of a full run on a copy of the store
/// at the same as-of. `TAGD_PROPERTY_STEPS` runs it longer.
@Suite("Incremental runs equal full runs", .serialized)
struct IncrementalEquivalenceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    }

    static let day: Int64 = 86_400
    static let categories = ["pet", "books", "home", "beauty", "grocery", nil]
    static let windows: [Int64] = [7, 30, 90, 365]

    /// A timestamp near a window edge of `now` (or anywhere in the last 400 days).
    static func ts(_ random: inout Random, now: Int64) -> Int64 {
        if random.chance(0.5) {
            let edge = random.pick(windows) * day
            return now - edge + Int64(random.int(-7_200..<7_200))
        }
        if random.chance(0.1) { return now + Int64(random.int(1..<(2 * 86_400))) }  // dated in the future
        return now - Int64(random.int(0..<(400 * 86_400)))
    }

    static func addData(_ store: TestStore, _ random: inout Random, now: Int64, members: Int) throws {
        let member = { (r: inout Random) in "m\(r.int(0..<members))" }
        var orders: [OrderInput] = []
        for _ in 0..<random.int(0..<6) {
            orders.append(OrderInput(
                member: member(&random), ts: ts(&random, now: now), amount: Double(random.int(1..<300)),
                category: random.pick(categories), product: random.pick(["sku-1", "sku-2", "sku-3", nil]),
                isNewProduct: random.chance(0.3), coupon: random.pick(["C10", "C20", nil, nil]), paid: random.chance(0.85),
                props: ["quantity": .number(Double(random.int(1..<4))), "store": .string(random.pick(["a", "b"]))]))
        }
        var events: [EventInput] = []
        for _ in 0..<random.int(0..<8) {
            events.append(EventInput(
                member: member(&random), ts: ts(&random, now: now), type: random.pick(["browse", "cart", "favourite", "search", "app_launch"]),
                category: random.pick(categories)))
        }
        var profiles: [MemberInput] = []
        for _ in 0..<random.int(0..<3) {
            profiles.append(MemberInput(
                externalID: member(&random), channel: random.pick(["wechat", "app", nil]),
                registeredAt: now - Int64(random.int(0..<(60 * 86_400))), region: random.pick(["south", "north", "east"]),
                birthday: random.pick(["2006-01-31", "2006-02-02", "1980-12-31", "02-29", nil]), level: random.int(0..<5)))
        }
        if !orders.isEmpty { _ = try store.store.ingest(orders: orders) }
        if !events.isEmpty { _ = try store.store.ingest(events: events) }
        if !profiles.isEmpty { _ = try store.store.ingest(members: profiles) }
    }

    /// Every live value, as "tag member value" lines.
    static func live(_ pool: DatabasePool) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT t.name || ' ' || m.external_id || ' ' || mt.value FROM member_tags mt
                JOIN tags t ON t.id = mt.tag_id JOIN members m ON m.id = mt.member_id ORDER BY 1
                """)
        }
    }

    @Test func everyStepEqualsAFullRun() throws {
        let steps = Int(ProcessInfo.processInfo.environment["TAGD_PROPERTY_STEPS"] ?? "") ?? 300
        let store = try TestStore()
        let root = store.rules.deletingLastPathComponent()
        try FileManager.default.removeItem(at: store.rules)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("rules"), to: store.rules)
        // Custom order columns, summed and filtered.
        try store.write("probe/quantity.lua", """
            return tag "quantity_probe" { title = "t", category = "c", owner = "o", kind = "score", refresh = "hourly",
              features = { q = sum("orders.quantity", { within = "30d", where = { ["props.store"] = "a" } }) },
              evaluate = function(m) return m.q end }
            """)
        let plugins = root.appendingPathComponent("plugins")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("plugins"), to: plugins)
        var random = Random(state: 20_261_201)
        var now = TestStore.asOf
        let members = 40
        try Self.addData(store, &random, now: now, members: members)
        for _ in 0..<10 { try Self.addData(store, &random, now: now, members: members) }
        // Approve every shipped rule, tags before the segments that read them.
        let files = try RuleCatalog(directory: store.rules, pluginsDirectory: plugins).scan()
        try store.registry.sync(files, actor: "alice")
        var waiting = files.compactMap(\.name)
        while !waiting.isEmpty {
            let before = waiting.count
            waiting = waiting.filter { name in (try? store.registry.approve(name: name, actor: "bob", files: files)) == nil }
            #expect(waiting.count < before, "cannot approve \(waiting)")
            if waiting.count == before { return }
        }
        let limits = LuaLimits(instructionsPerCall: 5_000_000, memoryBytes: 64 << 20)
        let runner = TagRunner(pool: store.pool, limits: limits, pluginsDirectory: plugins)
        var kinds: [String: Int] = [:]
        for step in 0..<steps {
            if step > 0 {
                try Self.addData(store, &random, now: now, members: members + step / 10)
                // Advance by nothing, minutes, hours or days (sometimes exactly one day).
                now += random.pick([0, 60, 3_600, 6 * 3_600, Self.day, Self.day + 1, 3 * Self.day])
            }
            let copyPath = root.appendingPathComponent("copy-\(step).sqlite").path
            try store.pool.backup(to: try DatabaseQueue(path: copyPath))
            let at = Date(timeIntervalSince1970: TimeInterval(now))
            let reports = try runner.run(try store.registry.liveVersions(), asOf: at, trigger: "test")
            // Some incremental runs wrote snapshot rows instead of whole snapshots.
            if try store.pool.read({ db in try Int.fetchOne(db, sql: "SELECT count(*) FROM feature_snapshot_rows") ?? 0 }) > 0 {
                kinds["snapshot rows", default: 0] += 1
            }
            #expect(reports.allSatisfy { $0.status == "succeeded" }, "\(reports.compactMap(\.error))")
            for report in reports {
                kinds[report.kind ?? "?", default: 0] += 1
                // The top values come from the kept counts and the run's changes: they equal a count of the live values.
                let counted = try store.pool.read { db in
                    try Row.fetchAll(db, sql: """
                        SELECT value, count(*) AS n FROM member_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?)
                        GROUP BY value ORDER BY n DESC, value LIMIT 5
                        """, arguments: [report.tag]).map { "\($0["value"] as String) \($0["n"] as Int)" }
                }
                #expect(report.topValues.map { "\($0.value) \($0.count)" } == counted, "step \(step) \(report.tag)")
                // A pop rule evaluated only some members: its recorded answers were replayed.
                if report.tag == "rfm_class", report.kind == "incremental", let evaluated = report.evaluated,
                    evaluated > 0, evaluated < report.members
                {
                    kinds["rfm_class partial", default: 0] += 1
                }
            }
            let copy = try MemberStore(path: copyPath)
            let full = try TagRunner(pool: copy.pool, limits: limits, pluginsDirectory: plugins)
                .run(try TagRegistry(pool: copy.pool).liveVersions(), asOf: at, trigger: "test", full: true)
            #expect(full.allSatisfy { $0.status == "succeeded" })
            let incremental = try Self.live(store.pool)
            let expected = try Self.live(copy.pool)
            if incremental != expected {
                let missing = Set(expected).subtracting(incremental).sorted().prefix(5)
                let extra = Set(incremental).subtracting(expected).sorted().prefix(5)
                Issue.record("step \(step) at \(now): missing \(Array(missing)), unexpected \(Array(extra))")
                return
            }
            try? FileManager.default.removeItem(atPath: copyPath)
        }
        // The incremental path was taken, not only full runs.
        #expect((kinds["incremental"] ?? 0) > steps, "\(kinds)")
        #expect(steps < 20 || (kinds["rfm_class partial"] ?? 0) > 0, "\(kinds)")
        #expect(steps < 20 || (kinds["snapshot rows"] ?? 0) > 0, "\(kinds)")
        print("incremental equivalence: \(steps) steps, runs by kind \(kinds)")
    }

    @Test func valuesChangedOutsideRunsMakeTheNextRunFull() throws {
        let store = try TestStore()
        try store.seed()
        try store.write("buyer.lua", RunSafetyTests.good)
        try store.approve("buyer")
        #expect(try store.run().first?.kind == "full")
        #expect(try store.run().first?.kind == "incremental")
        #expect(try store.run().first?.evaluated == 0)
        // Someone deletes the live values by hand: the snapshot no longer describes them.
        try store.pool.write { db in try db.execute(sql: "DELETE FROM member_tags") }
        let repaired = try #require(try store.run().first)
        #expect(repaired.kind == "full")
        #expect(try store.values("buyer") == ["a": "true", "b": "true"])
        // An as-of earlier than the last run's is a full run too.
        let earlier = try store.runner.run(
            try store.registry.liveVersions(), asOf: store.asOfDate.addingTimeInterval(-86_400), trigger: "test")
        #expect(earlier.first?.kind == "full")
    }
}
