import CustomerBase
import Foundation
import GRDB
import LuaHost
import MemberStore
import Testing

@testable import TagEngine

/// Model features (`p_alive`, `expected_purchases`, `p_purchase`),
/// `active_days`, and the backtest's metrics, on small hand-made stores.
@Suite struct PredictiveFeatureTests {
    static let day = TestStore.day

    /// 60 customers with seeded, varied histories: customer i buys on
    /// `1 + i % 5` days spread over the last year; every third also buys
    /// twice on one day. `z` never buys.
    static func seedCustomers(_ store: TestStore) throws -> [String: PurchaseHistory] {
        var orders: [OrderInput] = []
        var histories: [String: PurchaseHistory] = [:]
        for i in 0..<60 {
            let id = String(format: "c%02d", i)
            let first = 300 - (i * 7) % 280  // days ago
            let days = (0...(i % 5)).map { first - $0 * (first / (1 + i % 5 + 1)) }
            for d in days { orders.append(OrderInput(member: id, ts: TestStore.ago(Double(d)) + 3_600, amount: 10)) }
            if i % 3 == 0 { orders.append(OrderInput(member: id, ts: TestStore.ago(Double(days[0])) + 7_200, amount: 5)) }
            // An unpaid order never counts as a purchase.
            orders.append(OrderInput(member: id, ts: TestStore.ago(1), amount: 1, paid: false))
            let asOfDay = Int(TestStore.asOf / day)
            // T counts whole days from the first purchase day to the as-of day.
            histories[id] = PurchaseHistory(purchaseDays: days.map { asOfDay - $0 }, end: asOfDay)
        }
        _ = try store.store.ingest(members: [MemberInput(externalID: "z")])
        _ = try store.store.ingest(orders: orders)
        return histories
    }

    @Test func modelFeaturesEqualAnIndependentFit() throws {
        let store = try TestStore()
        let histories = try Self.seedCustomers(store)
        try store.write("model.lua", """
            return tag "model_probe" {
              title = "t", category = "c", owner = "o", kind = "label", refresh = "daily",
              features = {
                days    = active_days("orders", { where = { paid = true } }),
                alive   = p_alive("orders", { where = { paid = true } }),
                buy     = p_purchase("orders", { horizon = "30d", where = { paid = true } }),
                expect  = expected_purchases("orders", { horizon = "90d", where = { paid = true } }),
              },
              -- Model features depend on the population, so it cannot see them.
              population = function(m)
                if m.alive ~= nil then error("population saw a model feature") end
                return m.id ~= "c59"
              end,
              evaluate = function(m)
                if m.alive == nil then return nil end
                return string.format("%d|%.12f|%.12f|%.12f", m.days, m.alive, m.buy, m.expect)
              end,
            }
            """)
        try store.approve("model_probe")
        let reports = try store.run()
        #expect(reports.first?.status == "succeeded", "\(reports.first?.error ?? "")")
        let values = try store.values("model_probe")
        // Fitted over the population: everyone who bought, except c59.
        var fitted = histories
        fitted["c59"] = nil
        let model = BGNBDModel(try BGNBDFit.fit(try CustomerCohort(fitted.values.sorted { "\($0)" < "\($1)" })).parameters)
        #expect(values.count == 59)
        #expect(values["c59"] == nil && values["z"] == nil)
        for (id, h) in fitted {
            let parts = try #require(values[id]).split(separator: "|").map(String.init)
            #expect(Int(parts[0]) == h.repeatPurchases + 1, "\(id): purchase days counted once per day")
            #expect(abs(Double(parts[1])! - model.probabilityAlive(h)) < 1e-9, "\(id) p_alive")
            #expect(abs(Double(parts[2])! - (1 - model.probabilityNoPurchase(h, days: 30))) < 1e-9, "\(id) p_purchase")
            #expect(abs(Double(parts[3])! - (try model.expectedPurchases(h, days: 90))) < 1e-9, "\(id) expected_purchases")
        }
    }

    @Test func incrementalRunsReuseTheFitInsideItsRefitCycle() throws {
        let store = try TestStore()
        _ = try Self.seedCustomers(store)
        try store.write("risk.lua", """
            return tag "risk" { title = "t", category = "c", owner = "o", kind = "score", refresh = "daily",
              features = { buy = p_purchase("orders", { horizon = "30d", where = { paid = true } }) },
              evaluate = function(m) return m.buy and 1 - m.buy end }
            """)
        try store.approve("risk")
        let live = try store.registry.liveVersions()
        let first = try store.runner.run(live, asOf: store.asOfDate, trigger: "test")[0]
        #expect(first.kind == "full" && first.covered == 60)
        let fitted = try Self.fits(store)
        #expect(fitted?.asOf == TestStore.asOf)
        // Nothing changed, same as-of: nobody is evaluated.
        let idle = try store.runner.run(live, asOf: store.asOfDate, trigger: "test")[0]
        #expect(idle.kind == "incremental" && idle.evaluated == 0)
        // A new purchase inside the refit cycle: the stored fit predicts, only the buyer is evaluated.
        let before = try store.values("risk")
        _ = try store.store.ingest(orders: [OrderInput(member: "c07", ts: TestStore.ago(0.5))])
        let changed = try store.runner.run(live, asOf: store.asOfDate, trigger: "test")[0]
        #expect(changed.kind == "incremental" && changed.evaluated == 1, "\(String(describing: changed.reasons))")
        #expect(try Self.fits(store) == fitted)
        let after = try store.values("risk")
        #expect(after["c07"] != before["c07"])
        #expect(after.filter { $0.key != "c07" } == before.filter { $0.key != "c07" })
        // A full run inside the cycle predicts with the same fit: the same values.
        _ = try store.runner.run(live, asOf: store.asOfDate, trigger: "test", full: true)
        #expect(try store.values("risk") == after)
        // --refit fits again on today's data: everyone's prediction moves a little.
        let refitted = try store.runner.run(live, asOf: store.asOfDate, trigger: "test", refit: true)[0]
        #expect(refitted.changed > 1)
        #expect(try Self.fits(store) != fitted)
        // A day later (a slot of the daily cycle passed): the model is fitted
        // again and everyone is evaluated; the values equal a full run then.
        let later = Date(timeIntervalSince1970: TimeInterval(TestStore.asOf + TestStore.day))
        let moved = try store.runner.run(live, asOf: later, trigger: "test")[0]
        #expect(moved.evaluated == 61)
        #expect((moved.reasons?["model refitted"] ?? 0) > 0, "\(String(describing: moved.reasons))")
        #expect(try Self.fits(store)?.asOf == TestStore.asOf + TestStore.day)
        let incremental = try store.values("risk")
        _ = try store.runner.run(live, asOf: later, trigger: "test", full: true, refit: true)
        #expect(try store.values("risk") == incremental)
    }

    @Test func anHourlyRefitCycleFitsAgainEveryHour() throws {
        let store = try TestStore()
        _ = try Self.seedCustomers(store)
        try store.write("risk.lua", """
            return tag "risk" { title = "t", category = "c", owner = "o", kind = "score", refresh = "hourly", refit = "hourly",
              features = { buy = p_purchase("orders", { horizon = "30d" }) },
              evaluate = function(m) return m.buy and 1 - m.buy end }
            """)
        try store.approve("risk")
        let live = try store.registry.liveVersions()
        _ = try store.runner.run(live, asOf: store.asOfDate, trigger: "test")
        // Ten minutes later: the clock moved (everyone's T), the fit did not.
        let soon = try store.runner.run(live, asOf: store.asOfDate.addingTimeInterval(600), trigger: "test")[0]
        #expect((soon.reasons?["as-of moved"] ?? 0) > 0, "\(String(describing: soon.reasons))")
        #expect(try Self.fits(store)?.asOf == TestStore.asOf)
        // Past the next whole hour: fitted again.
        let hour = try store.runner.run(live, asOf: store.asOfDate.addingTimeInterval(3_700), trigger: "test")[0]
        #expect((hour.reasons?["model refitted"] ?? 0) > 0, "\(String(describing: hour.reasons))")
        #expect(try Self.fits(store)?.asOf == TestStore.asOf + 3_700)
    }

    @Test func refitIsCheckedWhenTheRuleLoads() throws {
        let store = try TestStore()
        try store.write("plain.lua", """
            return tag "plain" { title = "t", category = "c", owner = "o", kind = "flag", refresh = "daily", refit = "daily",
              features = { n = count("orders") }, evaluate = function(m) return m.n > 0 end }
            """)
        try store.write("bad.lua", """
            return tag "bad" { title = "t", category = "c", owner = "o", kind = "score", refresh = "daily", refit = "sometimes",
              features = { buy = p_purchase("orders", { horizon = "30d" }) }, evaluate = function(m) return m.buy end }
            """)
        let problems = try store.scan().compactMap { file -> String? in
            if case .failure(let error) = file.outcome { return "\(error)" }
            return nil
        }.joined(separator: "\n")
        #expect(problems.contains("refit applies to model features"), "\(problems)")
        #expect(problems.contains("refit:"), "\(problems)")
    }

    /// The model fits of the only tag's last run.
    static func fits(_ store: TestStore) throws -> ModelFits? {
        try store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT fits FROM model_fits").map {
                try JSONDecoder().decode(ModelFits.self, from: Data($0.utf8))
            }
        }
    }

    @Test func modelFeaturesAreNilWhenTheModelCannotBeFitted() throws {
        let store = try TestStore()
        // Nobody bought twice: the dropout cannot be estimated.
        _ = try store.store.ingest(orders: [
            OrderInput(member: "a", ts: TestStore.ago(10)), OrderInput(member: "b", ts: TestStore.ago(20)),
        ])
        try store.write("risk.lua", """
            return tag "risk" { title = "t", category = "c", owner = "o", kind = "score", refresh = "daily",
              features = { buy = p_purchase("orders", { horizon = "30d" }) },
              evaluate = function(m) return m.buy and 1 - m.buy end }
            """)
        try store.approve("risk")
        #expect(try store.run().first?.status == "succeeded")
        #expect(try store.values("risk").isEmpty)
    }

    @Test("bad model declarations fail at their line", arguments: [
        ("x = p_alive(\"orders\", { within = \"30d\" })", "within is not allowed"),
        ("x = p_alive(\"orders\", { horizon = \"30d\" })", "p_alive: has no horizon"),
        ("x = expected_purchases(\"orders\")", "needs a horizon"),
        ("x = p_purchase(\"orders\", { horizon = \"soon\" })", "horizon must look like"),
        ("x = p_purchase(\"ordres\", { horizon = \"30d\" })", "unknown source 'ordres'"),
        ("x = p_purchase(\"orders\", { horizon = \"30d\", where = { colour = 1 } })", "cannot filter orders on 'colour'"),
        ("x = p_purchase(\"orders\", { horizon = \"30d\", unit = \"week\" })", "unknown option 'unit'"),
        ("x = active_days(\"orders.amount\")", "active_days: counts days of rows"),
    ])
    func badDeclarations(declaration: String, message: String) throws {
        let error = FeatureTests.loadError(declaring: declaration)
        #expect(error?.line == 4)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func realtimeRulesCannotDeclareModelFeatures() throws {
        let source = """
            return tag "probe" { title = "t", category = "c", owner = "o", kind = "flag", refresh = "realtime",
              features = { alive = p_alive("orders") }, evaluate = function(m) return nil end }
            """
        let error = #expect(throws: RuleError.self) { try RuleLoader(lua: LuaState()).load(source: source, file: "probe.lua") }
        #expect(error?.message.contains("need a scheduled refresh") == true, "\(String(describing: error))")
    }

    @Test func rankingMetricsByHand() {
        // Scores 4, 3, 3, 1; positives at 4 and one of the 3s.
        // Pairs (positive, negative): (4,3) 1, (4,1) 1, (3,3) ½, (3,1) 1 -> 3.5 / 4.
        let scores = [4.0, 3, 3, 1]
        let positive = [true, true, false, false]
        #expect(RankingMetrics.auc(scores, positive) == 0.875)
        #expect(RankingMetrics.auc(scores, [true, true, true, true]) == nil)
        // Top 2: the 4 and half of the two 3s (one of which is positive): 1 + 0.5.
        #expect(RankingMetrics.positivesInTop(2, scores, positive) == 1.5)
        // Top decile of 4 is one member (the 4, positive): 1 / 0.5 = 2.
        #expect(RankingMetrics.topDecileLift(scores, positive) == 2)
        // A constant score is a coin toss.
        #expect(RankingMetrics.auc([1, 1, 1, 1], positive) == 0.5)
    }

    @Test func backtestMeasuresAScoreAndAFlagAgainstTheHorizon() throws {
        let store = try TestStore()
        let asOf = TestStore.asOf - 60 * Self.day
        // Last orders 5, 50, 100, 200 days before the as-of; a and c buy again in the 30 days after it.
        _ = try store.store.ingest(orders: [
            OrderInput(member: "a", ts: asOf - 5 * Self.day), OrderInput(member: "b", ts: asOf - 50 * Self.day),
            OrderInput(member: "c", ts: asOf - 100 * Self.day), OrderInput(member: "d", ts: asOf - 200 * Self.day),
            OrderInput(member: "a", ts: asOf + 10 * Self.day), OrderInput(member: "c", ts: asOf + 30 * Self.day),
            OrderInput(member: "b", ts: asOf + 31 * Self.day),  // just after the horizon
        ])
        let date = Date(timeIntervalSince1970: TimeInterval(asOf))
        // A score that ranks b and d (the churners) first.
        let score = """
            return tag "probe" { title = "t", category = "c", owner = "o", kind = "score", refresh = "daily",
              features = { n = count("orders") },
              evaluate = function(m) if m.id == "b" or m.id == "d" then return 1 end return 0 end }
            """
        let report = try store.runner.backtest(source: score, file: "probe.lua", asOf: date, horizon: 30 * Self.day)
        #expect(report.members == 4 && report.positives == 2)  // b and d bought nothing in (as-of, as-of + 30d]
        #expect(report.model.auc == 1)
        // Recency ranks d (200), c (100), b (50), a (5): pairs (d,c) 1 (d,a) 1 (b,c) 0 (b,a) 1 -> 3/4.
        #expect(report.baseline.auc == 0.75)
        #expect(report.warnings.isEmpty)
        // A flag selecting c and d: precision ½, recall ½; recency's two most lapsed are d and c too.
        let flag = score.replacingOccurrences(of: "kind = \"score\"", with: "kind = \"flag\"")
            .replacingOccurrences(of: "if m.id == \"b\" or m.id == \"d\" then return 1 end return 0", with: "return m.id == \"c\" or m.id == \"d\"")
        let flagged = try store.runner.backtest(source: flag, file: "probe.lua", asOf: date, horizon: 30 * Self.day)
        #expect(flagged.model.selected == 2 && flagged.model.precision == 0.5 && flagged.model.recall == 0.5)
        #expect(flagged.baseline.precision == 0.5 && flagged.baseline.recall == 0.5)
        // The opposite outcome flips positives; a horizon past the data is warned about.
        let buyers = try store.runner.backtest(source: score, file: "probe.lua", asOf: date, horizon: 90 * Self.day, outcome: .purchase)
        #expect(buyers.positives == 3)
        #expect(!buyers.warnings.isEmpty)
        // Enums are refused.
        let enumRule = score.replacingOccurrences(of: "kind = \"score\"", with: "kind = \"label\"")
        #expect(throws: BacktestError.self) { try store.runner.backtest(source: enumRule, file: "probe.lua", asOf: date, horizon: Self.day) }
    }
}
