import Foundation
import GRDB
import LuaHost
import MemberStore
import Testing

@testable import TagEngine

/// Custom order columns: an import's extra columns are kept in `orders.props`
/// and rules aggregate and filter on them in the same grouped SQL.
@Suite("Custom order columns")
struct OrderColumnTests {
    /// A rule `probe` whose label is `score` over `features`, approved and run.
    func runProbe(_ store: TestStore, features: String, score: String) throws -> RunReport {
        try store.write("probe.lua", """
            return tag "probe" { title = "t", category = "c", owner = "o", kind = "label", refresh = "hourly",
              features = { \(features) },
              evaluate = function(m) return \(score) end }
            """)
        try store.approve("probe")
        return try #require(try store.run(["probe"]).first)
    }

    /// CDNOW's `number_of_cds` column, imported as `quantity`, summed per
    /// customer by `sum("orders.quantity")` and checked against the raw file.
    @Test func cdnowQuantityIsSummedPerCustomer() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/cdnow/CDNOW_master", withExtension: "txt"))
        var csv = "member,ts,quantity,amount\n"
        var quantities: [String: Int] = [:]
        var largest: [String: Int] = [:]
        var singles: [String: Int] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(whereSeparator: \.isWhitespace).map(String.init)
            let quantity = try #require(Int(f[2]))
            quantities[f[0], default: 0] += quantity
            largest[f[0]] = max(largest[f[0]] ?? 0, quantity)
            if quantity == 1 { singles[f[0], default: 0] += 1 }
            csv += "\(f[0]),\(f[1].prefix(4))-\(f[1].dropFirst(4).prefix(2))-\(f[1].suffix(2)),\(f[2]),\(f[3])\n"
        }
        #expect(quantities.values.reduce(0, +) == 167_881)
        let store = try TestStore()
        let file = store.rules.deletingLastPathComponent().appendingPathComponent("cdnow.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let summary = try store.store.importFile(file.path, kind: .orders)
        #expect(summary.imported == 69_659)
        let report = try runProbe(
            store, features: """
                cds = sum("orders.quantity"), most = max("orders.quantity"),
                singles = count("orders", { where = { ["props.quantity"] = 1 } })
                """, score: #"string.format("%d/%d/%d", m.cds, m.most, m.singles)"#)
        #expect(report.status == "succeeded", "\(report.error ?? "")")
        let values = try store.values("probe")
        #expect(values.count == 23_570)
        var wrong = 0
        for (customer, total) in quantities
        where values[customer] != "\(total)/\(largest[customer] ?? 0)/\(singles[customer] ?? 0)" {
            wrong += 1
        }
        #expect(wrong == 0)
        // 00001 19970101 1 11.77: one CD.
        #expect(values["00001"] == "1/1/1")
        // 00002 19970112 1 12.00 / 19970112 5 77.00: six CDs, five at most, one single.
        #expect(values["00002"] == "6/5/1")
    }

    /// Hostile custom values: quotes, other scripts, very long text, codes
    /// with leading zeros, numbers written as text; filters bind them.
    @Test func filtersOnHostileValues() throws {
        let store = try TestStore()
        let long = String(repeating: "长", count: 20_000)
        let ndjson = [
            #"{"member":"q","ts":"2024-01-20","amount":1,"store":"sh-\"01\"","门店":"上海 一号店"}"#,
            #"{"member":"q","ts":"2024-01-21","amount":2,"props":{"store":"sh-01","gift":true}}"#,
            #"{"member":"u","ts":"2024-01-22","amount":4,"门店":"上海 一号店","note":"\#(long)"}"#,
            #"{"member":"u","ts":"2024-01-23","amount":8,"note":"' OR 1=1 --","code":"007"}"#,
        ].joined(separator: "\n")
        let dir = store.rules.deletingLastPathComponent()
        try ndjson.write(to: dir.appendingPathComponent("o.ndjson"), atomically: true, encoding: .utf8)
        // CSV: `12` becomes a number, `007` stays text.
        try "member,ts,amount,code\nc,2024-01-24,16,12\nc,2024-01-25,32,007\n"
            .write(to: dir.appendingPathComponent("o.csv"), atomically: true, encoding: .utf8)
        _ = try store.store.importFile(dir.appendingPathComponent("o.ndjson").path, kind: .orders)
        _ = try store.store.importFile(dir.appendingPathComponent("o.csv").path, kind: .orders)
        let report = try runProbe(
            store, features: """
                quoted = sum("orders.amount", { where = { ["props.store"] = "sh-\\"01\\"" } }),
                plain = sum("orders.amount", { where = { ["props.store"] = { "sh-01", "x" } } }),
                shop = sum("orders.amount", { where = { ["props.门店"] = "上海 一号店" } }),
                long = sum("orders.amount", { where = { ["props.note"] = string.rep("长", 20000) } }),
                inject = sum("orders.amount", { where = { ["props.note"] = "' OR 1=1 --" } }),
                gift = sum("orders.amount", { where = { ["props.gift"] = true } }),
                twelve = sum("orders.amount", { where = { ["props.code"] = { "12", 12 } } }),
                zeros = sum("orders.amount", { where = { ["props.code"] = "007" } }),
                seven = sum("orders.amount", { where = { ["props.code"] = 7 } }),
                top_code = mode("orders.code"), codes = distinct("orders.props.code")
                """,
            score: """
                string.format("%g %g %g %g %g %g %g %g %g %d %s", m.quoted, m.plain, m.shop, m.long, m.inject, m.gift,
                  m.twelve, m.zeros, m.seven, m.codes, m.top_code or "-")
                """)
        #expect(report.status == "succeeded", "\(report.error ?? "")")
        let values = try store.values("probe")
        // quoted plain shop long inject gift twelve zeros seven | codes top_code
        #expect(values["q"] == "1 2 1 0 0 2 0 0 0 0 -")
        #expect(values["u"] == "0 0 4 4 8 0 0 8 0 1 007")
        // c: `12` was stored as a number: matched by "12" and by 12; `007` is text, never 7.
        #expect(values["c"] == "0 0 0 0 0 0 16 32 0 2 007")
    }

    /// A numeric aggregate over a custom value that is not a number fails
    /// the rule's run naming the order, the member and the value; other
    /// rules of the run, and rows outside the feature's filter, are unaffected.
    @Test func nonNumericValueFailsNamingTheRow() throws {
        let store = try TestStore()
        _ = try store.store.ingest(orders: [
            OrderInput(member: "m1", ts: TestStore.ago(1), amount: 5, props: ["quantity": .number(2)]),
            OrderInput(member: "m2", ts: TestStore.ago(2), amount: 5, key: "A-17", props: ["quantity": .string("two \"big\"")]),
            OrderInput(member: "m3", ts: TestStore.ago(3), amount: 5, category: "pet", props: ["quantity": .bool(true)]),
        ])
        try store.write("ok.lua", """
            return tag "ok" { title = "t", category = "c", owner = "o", kind = "score", refresh = "hourly",
              features = { q = sum("orders.quantity", { where = { category = "pet" } }) },
              evaluate = function(m) return m.q end }
            """)
        try store.write("fine.lua", """
            return tag "fine" { title = "t", category = "c", owner = "o", kind = "score", refresh = "hourly",
              features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend end }
            """)
        try store.approve("ok")
        try store.approve("fine")
        let report = try runProbe(store, features: #"q = sum("orders.quantity")"#, score: "tostring(m.q)")
        #expect(report.status == "failed")
        let error = report.error ?? ""
        #expect(error.contains(#"sum("orders.quantity"): order 2 (id "A-17") of member "m2" has quantity = "two \"big\"" (text), not a number"#), "\(error)")
        #expect(try store.values("probe").isEmpty)
        // One run of three rules: `ok` sums the pet order only, where `true` is no
        // number either; `fine` reads no custom column and succeeds.
        let all = try store.run(["ok", "probe", "fine"])
        let ok = try #require(all.first { $0.tag == "ok" })
        #expect(ok.status == "failed")
        #expect(ok.error?.contains(#"order 3 of member "m3" has quantity = "1" (true), not a number"#) == true, "\(ok.error ?? "")")
        #expect(all.first { $0.tag == "fine" }?.status == "succeeded")
        #expect(try store.values("fine") == ["m1": "5", "m2": "5", "m3": "5"])
        // Fixing the rows fixes the run.
        try store.pool.write { db in
            try db.execute(sql: #"UPDATE orders SET props = '{"quantity": 3}' WHERE order_key = 'A-17'"#)
            try db.execute(sql: #"UPDATE orders SET props = '{"quantity": 4.5}' WHERE id = 3"#)
        }
        let fixed = try store.run(["probe"])
        #expect(fixed.first?.status == "succeeded", "\(fixed.first?.error ?? "")")
        #expect(try store.values("probe") == ["m1": "2.0", "m2": "3.0", "m3": "4.5"])
    }

    /// Changing an order's custom column marks its member as changed: the
    /// next incremental run re-computes that member, and equals a full run.
    @Test func changedPropsAreSeenByIncrementalRuns() throws {
        let store = try TestStore()
        _ = try store.store.ingest(orders: (0..<20).map {
            OrderInput(member: "m\($0)", ts: TestStore.ago(Double($0)), amount: 1, key: "o\($0)", props: ["quantity": .number(Double($0))])
        })
        _ = try runProbe(store, features: #"q = sum("orders.quantity", { within = "30d", where = { ["props.store"] = "sh-01" } })"#, score: "tostring(m.q)")
        #expect(try store.values("probe").values.allSatisfy { $0 == "0.0" })
        try store.pool.write { db in
            try db.execute(sql: #"UPDATE orders SET props = json_set(props, '$.store', 'sh-01') WHERE order_key IN ('o3', 'o7')"#)
        }
        let report = try #require(try store.run(["probe"]).first)
        #expect(report.kind == "incremental")
        #expect(report.evaluated == 2)
        let values = try store.values("probe")
        #expect(values["m3"] == "3.0" && values["m7"] == "7.0" && values["m4"] == "0.0")
        let full = try store.runner.run(try store.registry.liveVersions(names: ["probe"]), asOf: store.asOfDate, trigger: "test", full: true)
        #expect(full.first?.changed == 0)
    }
}
