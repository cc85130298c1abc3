import CustomerBase
import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

/// The BG/NBD model on the real CDNOW purchases (Fixtures/cdnow), as the
/// paper validates it: the whole cohort (23,570 customers, all first bought
/// in 1997 Q1), in weeks, purchases counted once per day, calibration
/// 1997-01-01 .. 1997-09-30, holdout 1997-10-01 .. 1998-06-30. Then the
/// shipped churn_risk backtested against recency.
@Suite struct BGNBDCDNOWTests {
    static let day: Int64 = 86_400
    /// Day numbers (days since 1970-01-01) of 1997-10-01 and 1998-07-01.
    static let calibrationEnd = Int(CDNOWTests.epoch(yyyymmdd: "19971001")! / day)
    static let holdoutEnd = Int(CDNOWTests.epoch(yyyymmdd: "19980701")! / day)

    /// Each customer's purchase days, straight from the file.
    static func purchaseDays() throws -> [String: [Int]] {
        var days: [String: [Int]] = [:]
        for order in try CDNOWTests.rawOrders() { days[order.customer, default: []].append(Int(order.ts / day)) }
        return days
    }

    @Test func calibrationFitIsATrueMaximum() throws {
        let days = try Self.purchaseDays()
        #expect(days.count == 23_570)
        let histories = days.values.compactMap { PurchaseHistory(purchaseDays: $0, end: Self.calibrationEnd) }
        #expect(histories.count == 23_570)  // every customer's first purchase is in the calibration
        #expect(histories.allSatisfy { $0.observedDays >= 273 - 90 && $0.observedDays <= 273 })
        let cohort = try CustomerCohort(histories)
        let fit = try BGNBDFit.fit(cohort)
        let p = fit.parameters
        print(String(format: "CDNOW BG/NBD calibration fit (weeks): r = %.4f, alpha = %.4f, a = %.4f, b = %.4f, LL = %.3f, %d iterations",
                     p.r, p.alpha, p.a, p.b, fit.logLikelihood, fit.iterations))
        // Every small move of each parameter, up or down, lowers the likelihood.
        for i in 0..<4 {
            for step in [-1e-2, -1e-3, -1e-4, 1e-4, 1e-3, 1e-2] {
                var values = [p.r, p.alpha, p.a, p.b]
                values[i] *= 1 + step
                let moved = BGNBDParameters(r: values[0], alpha: values[1], a: values[2], b: values[3])
                #expect(BGNBDLikelihood.logLikelihood(moved, cohort) < fit.logLikelihood, "parameter \(i) × (1 + \(step))")
            }
        }
        // Near the paper's 2,357-customer sample (r 0.243, alpha 4.414, a 0.793, b 2.426): same order of magnitude.
        #expect(p.r > 0.1 && p.r < 0.5)
        #expect(p.alpha > 2 && p.alpha < 10)
        #expect(p.a > 0.3 && p.a < 2)
        #expect(p.b > 1 && p.b < 6)
    }

    @Test func holdoutAndChurnBacktestThroughTheStore() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tagd-bgnbd-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try MemberStore(path: directory.appendingPathComponent("store.sqlite").path)
        defer { try? store.close() }
        let csv = directory.appendingPathComponent("orders.csv")
        try CDNOWTests.ordersCSV(try CDNOWTests.rawOrders()).write(to: csv, atomically: true, encoding: .utf8)
        #expect(try store.importFile(csv.path, kind: .orders).imported == 69_659)
        let runner = TagRunner(pool: store.pool)

        // The holdout, week by week, against an independent count from the file.
        let check = try runner.holdout(
            calibrationEnd: Date(timeIntervalSince1970: TimeInterval(Int64(Self.calibrationEnd) * Self.day)),
            holdoutEnd: Date(timeIntervalSince1970: TimeInterval(Int64(Self.holdoutEnd) * Self.day)))
        #expect(check.customers == 23_570)
        #expect(check.periods.count == 39)
        let days = try Self.purchaseDays()
        let holdoutDays = days.values.map { Set($0.filter { $0 >= Self.calibrationEnd && $0 < Self.holdoutEnd }).count }
        #expect(check.actualTotal == Double(holdoutDays.reduce(0, +)))
        let independent = try BGNBDFit.fit(try CustomerCohort(days.values.compactMap { PurchaseHistory(purchaseDays: $0, end: Self.calibrationEnd) }))
        #expect(abs(check.fit.parameters.r - independent.parameters.r) < 1e-9)
        #expect(abs(check.fit.parameters.b - independent.parameters.b) < 1e-9)
        print("CDNOW holdout, repeat purchase days per week: week, actual, conditional E[Y(t)|history], unconditional E[X(t)]")
        for (week, period) in check.periods.enumerated() {
            print(String(format: "  %2d  %5.0f  %7.1f  %7.1f", week + 40, period.actual, period.conditional, period.unconditional))
        }
        print(String(format: "CDNOW calibration repeat purchase days: actual %.0f, model %.1f", check.calibrationActual, check.calibrationPredicted))
        let conditionalError = check.conditionalTotal / check.actualTotal - 1
        let unconditionalError = check.unconditionalTotal / check.actualTotal - 1
        print(String(format: "CDNOW holdout totals: actual %.0f, conditional %.1f (%+.2f %%), unconditional %.1f (%+.2f %%); weekly MAE %.1f %% / %.1f %% of the weekly mean",
                     check.actualTotal, check.conditionalTotal, conditionalError * 100, check.unconditionalTotal, unconditionalError * 100,
                     check.conditionalPeriodError * 100, check.unconditionalPeriodError * 100))
        // The calibration is fitted closely; the holdout's buying runs above
        // the model's smooth decay (the peaks of December 1997 and March 1998).
        #expect(abs(check.calibrationPredicted / check.calibrationActual - 1) < 0.01)
        #expect(conditionalError < 0 && conditionalError > -0.2)
        #expect(unconditionalError < 0 && unconditionalError > -0.2)
        #expect(check.conditionalPeriodError < 0.25)

        // The shipped churn_risk at 1998-01-01 with a 90-day horizon, beside recency.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try RuleCatalog(directory: root.appendingPathComponent("rules")).scan(only: ["value/churn_risk.lua", "value/win_back.lua"])
        let asOf = Date(timeIntervalSince1970: TimeInterval(CDNOWTests.epoch(yyyymmdd: "19980101")!))
        let churn = try #require(files.first { $0.name == "churn_risk" })
        let report = try runner.backtest(source: churn.source, file: churn.path, asOf: asOf, horizon: 90 * Self.day)
        print(String(format: "CDNOW churn_risk backtest at 1998-01-01, 90 days: %d members, %d churned; AUC %.4f vs recency %.4f; top-decile lift %.3f vs %.3f",
                     report.members, report.positives, report.model.auc ?? -1, report.baseline.auc ?? -1,
                     report.model.topDecileLift ?? -1, report.baseline.topDecileLift ?? -1))
        #expect(report.members == 23_570)
        #expect(report.warnings.isEmpty)
        // Churned: no order dated 1998-01-02 .. 1998-04-01, counted from the file.
        let start = Int(CDNOWTests.epoch(yyyymmdd: "19980101")! / Self.day)
        let churned = days.values.filter { !$0.contains { $0 > start && $0 <= start + 90 } }.count
        #expect(report.positives == churned)
        let model = try #require(report.model.auc)
        let baseline = try #require(report.baseline.auc)
        #expect(model > baseline)
        #expect(model > 0.5 && baseline > 0.5)

        let winBack = try #require(files.first { $0.name == "win_back" })
        let flag = try runner.backtest(source: winBack.source, file: winBack.path, asOf: asOf, horizon: 90 * Self.day)
        print(String(format: "CDNOW win_back backtest: %d selected of %d; precision %.3f (recency %.3f), recall %.3f (recency %.3f), base rate %.3f",
                     flag.model.selected ?? 0, flag.members, flag.model.precision ?? -1, flag.baseline.precision ?? -1,
                     flag.model.recall ?? -1, flag.baseline.recall ?? -1, flag.baseRate))
        #expect((flag.model.selected ?? 0) > 0)
    }
}
