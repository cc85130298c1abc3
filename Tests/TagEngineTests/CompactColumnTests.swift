import Foundation
import GRDB
import LuaHost
import MemberStore
import Testing

@testable import TagEngine

/// Counts and day numbers are kept in 4 bytes a member, exactly; a value
/// that would not be exact (hostile data) widens its column to 8 bytes.
@Suite("Compact feature columns")
struct CompactColumnTests {
    static let probe = """
        return tag "probe" { title = "t", category = "c", owner = "o", kind = "label", refresh = "hourly",
          features = { n = count("orders"), first = days_since(first "orders.ts"), spend = sum("orders.amount") },
          evaluate = function(m) if m.n > 0 then return m.n .. "/" .. m.first end end }
        """

    func table(_ store: TestStore) throws -> (FeatureTable, [String: FeatureSpec]) {
        let rule = try RuleLoader(lua: LuaState()).load(source: Self.probe, file: "probe.lua")
        let specs = Dictionary(uniqueKeysWithValues: rule.features.map { ($0.name, $0.spec) })
        let table = try store.pool.read { db in try FeatureComputer(asOf: TestStore.asOf).compute(Set(specs.values), in: db) }
        return (table, specs)
    }

    @Test func countsAndDaysTakeFourBytesAndSumsEight() throws {
        let store = try TestStore()
        try store.seed()
        let (table, specs) = try table(store)
        guard case .compact(.integer, let n) = table.column(try #require(specs["n"])) else { Issue.record("count not compact"); return }
        guard case .compact(.integer, _) = table.column(try #require(specs["first"])) else { Issue.record("days not compact"); return }
        guard case .numeric(.real, _) = table.column(try #require(specs["spend"])) else { Issue.record("sum not 8 bytes"); return }
        #expect(n.reduce(0, +) == 5)  // a's four past orders and b's one (the future one is ignored)
    }

    @Test func aValuePastTwentyFourBitsWidensItsColumnExactly() throws {
        let store = try TestStore()
        try store.seed()
        // An order dated 300,000 years before the epoch: 109,572,xxx days, not exact in a Float.
        let ancient: Int64 = -9_467_020_800_000
        try store.pool.write { db in
            try db.execute(
                sql: "INSERT INTO orders(member_id, ts, amount) SELECT id, ?, 1 FROM members WHERE external_id = 'b'", arguments: [ancient])
        }
        let days = FeatureSpec.days(from: Double(ancient), to: TestStore.asOf)
        #expect(Double(Float(days)) != days)
        let (table, specs) = try table(store)
        let column = table.column(try #require(specs["first"]))
        guard case .numeric = column else { Issue.record("not widened"); return }
        let b = try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM members WHERE external_id = 'b'") ?? 0 }
        let index = try #require(table.index(of: b))
        #expect(column.number(at: index) == days)
        // The count column stays compact.
        guard case .compact = table.column(try #require(specs["n"])) else { Issue.record("count widened"); return }
    }

    /// A compact base snapshot, then an incremental run whose one member
    /// needs 8 bytes: its row widens the column on the next load, and every
    /// run agrees with a full one.
    @Test func snapshotRowsWidenACompactBase() throws {
        let store = try TestStore()
        try store.seed()
        // Reading pop makes each refresh load the whole snapshot, base and
        // rows; every value shows the largest `first`, which is b's.
        try store.write("probe.lua", Self.probe.replacingOccurrences(
            of: "return m.n .. \"/\" .. m.first end", with: "return m.n .. \"/\" .. m.first .. \"/\" .. math.tointeger(pop.max(\"first\")) end"
        ).replacingOccurrences(of: "function(m)", with: "function(m, pop)"))
        // Enough members that one changed member is written as a row, not a new base.
        _ = try store.store.ingest(orders: (0..<16).map { OrderInput(member: "x\($0)", ts: TestStore.ago(Double($0 + 3)), amount: 1) })
        try store.approve("probe")
        _ = try store.run()
        let ancient: Int64 = -9_467_020_800_000
        try store.pool.write { db in
            try db.execute(
                sql: "INSERT INTO orders(member_id, ts, amount) SELECT id, ?, 1 FROM members WHERE external_id = 'b'", arguments: [ancient])
        }
        let second = try store.run()
        #expect(second.first?.kind == "incremental")
        let days = Int64(FeatureSpec.days(from: Double(ancient), to: TestStore.asOf))
        #expect(try store.values("probe")["b"] == "2/\(days)/\(days)")
        // Another member changes: the base (compact) and b's row (wide) load together.
        _ = try store.store.ingest(orders: [OrderInput(member: "c", ts: TestStore.ago(1), amount: 5)])
        let third = try store.run()
        #expect(third.first?.kind == "incremental")
        let values = try store.values("probe")
        #expect(values["a"] == "4/400/\(days)" && values["b"] == "2/\(days)/\(days)" && values["c"] == "1/1/\(days)")
        let full = try store.runner.run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test", full: true)
        #expect(full.first.map { $0.gained + $0.lost + $0.changed } == 0)
    }

    /// A row holding a value past 24 bits, applied over a compact base column.
    @Test func aWideRowOverACompactBaseWidensTheColumn() throws {
        let wide = 109_572_123.0
        #expect(Double(Float(wide)) != wide)
        var base = SnapshotCoding.Decoded(
            ids: [1, 2, 3], mask: nil, columns: ["n": .compact(.integer, [1, 2, 3])], recording: nil)
        let row = SnapshotRows.encode(
            index: 0, columns: [("n", .numeric(.integer, [wide]))], mask: nil, recording: nil)
        try SnapshotRows.apply([(member: 2, data: row)], to: &base)
        guard case .numeric(_, let values)? = base.columns["n"] else { Issue.record("not widened"); return }
        #expect(Array(values) == [1, wide, 3])
        // A row that fits keeps the column compact.
        var small = SnapshotCoding.Decoded(ids: [1, 2], mask: nil, columns: ["n": .compact(.integer, [1, 2])], recording: nil)
        try SnapshotRows.apply(
            [(member: 1, data: SnapshotRows.encode(index: 0, columns: [("n", .numeric(.integer, [7]))], mask: nil, recording: nil))],
            to: &small)
        guard case .compact(_, let kept)? = small.columns["n"] else { Issue.record("widened for no reason"); return }
        #expect(Array(kept) == [7, 2])
    }

    /// Compact columns survive the snapshot's encoding as 4-byte columns.
    @Test func theSnapshotCodingKeepsCompactColumnsCompact() throws {
        let spec = try #require(try RuleLoader(lua: LuaState()).load(source: Self.probe, file: "probe.lua").features.first { $0.name == "n" }?.spec)
        let table = FeatureTable(memberIDs: [5, 9], columns: [spec: .compact(.integer, [3, .nan])])
        var data: [UInt8] = []
        try SnapshotCoding.write(table, mask: nil, recording: nil) { data.append(contentsOf: $0) }
        let decoded = try SnapshotCoding.decode(Data(data))
        guard case .compact(_, let values)? = decoded.columns["\(spec)"] else { Issue.record("not compact"); return }
        #expect(values[0] == 3 && values[1].isNaN)
    }
}
