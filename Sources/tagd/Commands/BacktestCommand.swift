import ArgumentParser
import CustomerBase
import Foundation
import TagEngine

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Measure a score or flag tag at an earlier as-of against what happened next, beside a naive baseline.",
        discussion: """
            tagd backtest NAME --as-of T --horizon 90d: AUC and top-decile lift (score) or precision and recall (flag)
            against "no paid order in the horizon" (--outcome purchase for the opposite), beside days since the last order.
            tagd backtest --holdout --calibration-end D --holdout-end D: the BG/NBD model's calibration / holdout check, by week.
            tagd backtest --bench [--members N]: time the BG/NBD fit on N simulated customers.
            """)

    @Argument(help: "The score or flag tag.") var name: String?
    @Option(help: "Evaluate at this earlier time (a date means its midnight UTC).") var asOf: String?
    @Option(help: "What happened in this window after the as-of counts (30d, 12w...).") var horizon = "90d"
    @Option(help: "The positive outcome: no-purchase or purchase.") var outcome = "no-purchase"
    @Option(help: "Evaluate this stored version (hash prefix) instead of the file's current content.") var version: String?
    @Flag(help: "The BG/NBD calibration / holdout check over the store's paid orders.") var holdout = false
    @Option(help: "With --holdout: the end of calibration (exclusive).") var calibrationEnd: String?
    @Option(help: "With --holdout: the end of the holdout (exclusive).") var holdoutEnd: String?
    @Flag(help: "Time the BG/NBD fit on simulated customers (no store needed).") var bench = false
    @Option(help: "With --bench: customers to simulate.") var members = 1_000_000
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        if bench { return try runBench() }
        if holdout { return try runHoldout() }
        guard let name else { throw CLIError("name a score or flag tag (or use --holdout / --bench)") }
        guard let asOf else { throw CLIError("--as-of is required: the earlier time to evaluate at") }
        guard let seconds = Window.seconds(horizon) else { throw CLIError("--horizon '\(horizon)' must look like 90d, 12w or 1y") }
        guard let outcome = BacktestOutcome(rawValue: outcome) else { throw CLIError("--outcome must be no-purchase or purchase") }
        let store = try options.open()
        let files = try options.syncedFiles(store, quiet: true)
        let choice = try RuleSourceChoice(name: name, version: version, store: store, files: files)
        let report = try TagRunner(pool: store.pool, pluginsDirectory: options.pluginsURL).backtest(
            source: choice.source, file: choice.file, modules: choice.modules, asOf: try AsOf.parse(asOf), horizon: seconds,
            outcome: outcome, progress: { Console.progress("backtest \(name): \($0)") })
        Console.progress(String(format: "backtest \(name): %@ members measured in %.1f s", Console.count(report.members), report.seconds), final: true)
        if json { return try Console.json(report) }
        print("backtest of \(name) (\(report.kind), version \(report.hash.prefix(12))) as of \(Console.date(report.asOf)), nothing written")
        print("outcome: \(report.outcome)")
        print("measured: \(Console.count(report.members)) \(report.universe), \(Console.count(report.positives)) positive (\(Console.percent(report.baseRate)))")
        var table: TextTable
        if report.kind == "score" {
            table = TextTable("RANKING", "AUC", "TOP-DECILE LIFT")
            for f in [report.model, report.baseline] { table.add(f.name, Self.figure(f.auc), Self.figure(f.topDecileLift)) }
        } else {
            table = TextTable("SELECTION", "SELECTED", "PRECISION", "RECALL")
            for f in [report.model, report.baseline] {
                table.add(f.name, Console.count(f.selected ?? 0), Self.share(f.precision), Self.share(f.recall))
            }
        }
        print(table.rendered)
        let better = report.kind == "score"
            ? (report.model.auc ?? 0) > (report.baseline.auc ?? 0) : (report.model.precision ?? 0) > (report.baseline.precision ?? 0)
        print(better ? "\(name) beats the baseline" : "\(name) does NOT beat the baseline (days since the last order alone)")
        for warning in report.warnings { print("warning: \(warning)") }
    }

    private func runHoldout() throws {
        guard let calibrationEnd, let holdoutEnd else { throw CLIError("--holdout needs --calibration-end and --holdout-end") }
        let store = try options.open()
        Console.progress("holdout: reading paid orders and fitting the BG/NBD model")
        let check = try TagRunner(pool: store.pool).holdout(
            calibrationEnd: try AsOf.parse(calibrationEnd), holdoutEnd: try AsOf.parse(holdoutEnd))
        Console.progress(String(format: "holdout: %@ customers fitted in %.2f s", Console.count(check.customers), check.fit.seconds), final: true)
        if json { return try Console.json(check) }
        let p = check.fit.parameters
        print(String(format: "BG/NBD fit (weeks): r = %.4f, alpha = %.4f, a = %.4f, b = %.4f; log-likelihood %.2f; %@ customers, %@ distinct histories, %d iterations",
                     p.r, p.alpha, p.a, p.b, check.fit.logLikelihood, Console.count(check.customers), Console.count(check.fit.groups), check.fit.iterations))
        var table = TextTable("WEEK FROM", "ACTUAL", "CONDITIONAL", "UNCONDITIONAL")
        for period in check.periods {
            table.add(String(Console.date(Int64(period.start) * 86_400).prefix(10)), String(format: "%.0f", period.actual),
                      String(format: "%.1f", period.conditional), String(format: "%.1f", period.unconditional))
        }
        print(table.rendered)
        print(String(format: "holdout repeat purchases: actual %.0f, conditional %.1f (%+.1f %%), unconditional %.1f (%+.1f %%)",
                     check.actualTotal, check.conditionalTotal, (check.conditionalTotal / check.actualTotal - 1) * 100,
                     check.unconditionalTotal, (check.unconditionalTotal / check.actualTotal - 1) * 100))
        print(String(format: "weekly mean absolute error, as a share of the weekly mean: conditional %.1f %%, unconditional %.1f %%",
                     check.conditionalPeriodError * 100, check.unconditionalPeriodError * 100))
    }

    private func runBench() throws {
        let truth = BGNBDParameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        var simulator = BGNBDSimulator(truth, seed: 2026)
        var histories: [PurchaseHistory] = []
        histories.reserveCapacity(members)
        // First purchases spread over two years, observed until day 1,095 (three years).
        for i in 0..<members {
            histories.append(simulator.history(firstDay: i % 730, end: 1_095))
            if i % 100_000 == 99_999 { Console.progress("simulating: \(Console.count(i + 1)) / \(Console.count(members)) customers") }
        }
        Console.progress("fitting", final: false)
        let grouping = Date()
        let cohort = try CustomerCohort(histories)
        let groupSeconds = Date().timeIntervalSince(grouping)
        let fit = try BGNBDFit.fit(cohort)
        let model = BGNBDModel(fit.parameters)
        let predicting = Date()
        var total = 0.0
        for h in histories { total += model.probabilityNoPurchase(h, days: 30) }
        let predictSeconds = Date().timeIntervalSince(predicting)
        Console.progress("", final: false)
        let p = fit.parameters
        print("BG/NBD fit on \(Console.count(members)) simulated customers (\(Console.count(fit.groups)) distinct histories)")
        print(String(format: "true parameters:   r = %.3f, alpha = %.3f, a = %.3f, b = %.3f", truth.r, truth.alpha, truth.a, truth.b))
        print(String(format: "fitted parameters: r = %.3f, alpha = %.3f, a = %.3f, b = %.3f (%d iterations)", p.r, p.alpha, p.a, p.b, fit.iterations))
        print(String(format: "grouping %.2f s + fit %.2f s = %.2f s (target: under 2 s)", groupSeconds, fit.seconds, groupSeconds + fit.seconds))
        print(String(format: "P(no purchase in 30 days) for every customer: %.2f s (mean %.3f)", predictSeconds, total / Double(max(members, 1))))
    }

    private static func figure(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
    private static func share(_ value: Double?) -> String { value.map { Console.percent($0) } ?? "-" }
}
