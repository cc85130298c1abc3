import Foundation
import GRDB
import LuaHost
import Testing

@testable import TagEngine

@Suite("Feature functions")
struct FeatureTests {
    /// Declares `features` in a rule, computes them over the seeded store and
    /// returns each member's values by feature name.
    func compute(_ features: String) throws -> [String: [String: String]] {
        let store = try TestStore()
        try store.seed()
        let rule = try RuleLoader(lua: LuaState()).load(source: """
            return tag "probe" { title = "t", category = "c", owner = "o", kind = "flag", refresh = "hourly",
              features = { \(features) }, evaluate = function(m) return nil end }
            """, file: "probe.lua")
        let table = try store.pool.read { db in
            try FeatureComputer(asOf: TestStore.asOf).compute(Set(rule.features.map(\.spec)), in: db)
        }
        let ids = try store.pool.read { db in try [Int64: String](uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, external_id FROM members").map { ($0[0], $0[1]) }) }
        var result: [String: [String: String]] = [:]
        for (name, spec) in rule.features {
            for (index, id) in table.memberIDs.enumerated() {
                let column = table.column(spec)
                let text = column.text(at: index) ?? column.number(at: index).map { MemberValue.format($0) } ?? "nil"
                result[name, default: [:]][ids[id] ?? "?"] = text
            }
        }
        return result
    }

    @Test func countWithWindowAndFilters() throws {
        let f = try compute("""
            all = count("orders"), month = count("orders", { within = "30d" }),
            paid_year = count("orders", { within = "365d", where = { paid = true } }),
            intents = count("events", { within = "7d", where = { type = { "cart", "favourite" } } })
            """)
        // a: orders 2, 10, 40 (unpaid) and 400 days ago; one in the future is ignored.
        #expect(f["all"] == ["a": "4", "b": "1", "c": "0", "d": "0"])
        #expect(f["month"] == ["a": "2", "b": "0", "c": "0", "d": "0"])
        #expect(f["paid_year"] == ["a": "2", "b": "1", "c": "0", "d": "0"])
        #expect(f["intents"] == ["a": "0", "b": "0", "c": "2", "d": "0"])
    }

    @Test func sumAvgMinMax() throws {
        let f = try compute("""
            spend = sum("orders.amount", { within = "365d" }), mean = avg("orders.amount"),
            low = min("orders.amount"), high = max("orders.amount", { where = { category = "pet" } })
            """)
        #expect(f["spend"] == ["a": "100", "b": "15", "c": "0", "d": "0"])
        #expect(f["mean"] == ["a": "50", "b": "15", "c": "nil", "d": "nil"])
        #expect(f["low"] == ["a": "20", "b": "15", "c": "nil", "d": "nil"])
        #expect(f["high"] == ["a": "100", "b": "nil", "c": "nil", "d": "nil"])
    }

    @Test func firstLastDaysSince() throws {
        let f = try compute("""
            recency = days_since("orders"), tenure = days_since(first "orders.ts"),
            last_cat = last("orders.category"), first_cat = first("orders.category"),
            last_ts = last("orders.ts"), seen = days_since("events", { where = { type = "browse" } })
            """)
        #expect(f["recency"] == ["a": "2", "b": "200", "c": "nil", "d": "nil"])
        #expect(f["tenure"] == ["a": "400", "b": "200", "c": "nil", "d": "nil"])
        #expect(f["last_cat"] == ["a": "pet", "b": "books", "c": "nil", "d": "nil"])
        #expect(f["first_cat"] == ["a": "pet", "b": "books", "c": "nil", "d": "nil"])
        #expect(f["last_ts"]?["a"] == String(TestStore.ago(2)))
        #expect(f["seen"] == ["a": "5", "b": "nil", "c": "20", "d": "nil"])
    }

    @Test func distinctAndMode() throws {
        let f = try compute("""
            kinds = distinct("orders.category"), favourite = mode("orders.category"),
            browsed = mode("events.category", { within = "30d" })
            """)
        #expect(f["kinds"] == ["a": "2", "b": "1", "c": "0", "d": "0"])
        #expect(f["favourite"] == ["a": "pet", "b": "books", "c": "nil", "d": "nil"])
        // c: home 3 times, pet once.
        #expect(f["browsed"] == ["a": "pet", "b": "nil", "c": "home", "d": "nil"])
    }

    @Test("bad declarations fail at their line", arguments: [
        ("x = median(\"orders.amount\")", "attempt to call a nil value (global 'median')"),
        ("x = sum(\"orders.amout\")", "unknown column 'amout' of orders: did you mean 'amount'?"),
        ("x = sum(\"orders.props.a'b\")", "letters, digits, '_' and '-' only"),
        ("x = sum(\"orders.props.\" .. string.rep(\"q\", 65))", "1 to 64 characters"),
        ("x = count(\"orders\", { where = { [\"props.a;b\"] = 1 } })", "cannot filter orders on 'props.a;b'"),
        ("x = count(\"orders\", { where = { [\"props.store\"] = { a = 1 } } })", "expects a string, number or boolean"),
        ("x = count(\"ordres\")", "unknown source 'ordres'"),
        ("x = count(\"orders\", { within = \"soon\" })", "within must look like"),
        ("x = count(\"events\", { where = { color = \"red\" } })", "cannot filter events on 'color' (known: category, keyword, type, or a custom column 'props.<name>')"),
        ("x = mode(\"orders.amount\")", "mode: needs a text column"),
    ])
    func badDeclarations(declaration: String, message: String) throws {
        let error = Self.loadError(declaring: declaration)
        #expect(error?.file == "rules/probe.lua")
        #expect(error?.line == 4)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    /// The error of loading `rules/probe.lua` whose features (line 4) are `declaration`.
    static func loadError(declaring declaration: String) -> RuleError? {
        let source = "return tag \"probe\" {\n  title = \"t\", category = \"c\", owner = \"o\", kind = \"flag\", refresh = \"hourly\",\n  features = {\n    \(declaration),\n  },\n  evaluate = function(m) return nil end }"
        return #expect(throws: RuleError.self) { try RuleLoader(lua: LuaState()).load(source: source, file: "rules/probe.lua") }
    }
}
