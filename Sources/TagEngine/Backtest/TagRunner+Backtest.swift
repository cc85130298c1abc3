import Foundation
import GRDB

/// What counts as a positive in a backtest.
public enum BacktestOutcome: String, Sendable, Codable, CaseIterable {
    /// No paid order in the horizon (churn): a churn score should rank these first.
    case noPurchase = "no-purchase"
    /// At least one paid order in the horizon.
    case purchase
}

/// Why a backtest cannot run.
public struct BacktestError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String
}

extension TagRunner {
    /// Evaluates `source` at `asOf` without writing anything, then measures
    /// its values against what members did in `(asOf, asOf + horizon]`:
    /// AUC and top-decile lift for a score (members with a score, higher
    /// meaning more likely positive), precision and recall for a flag
    /// (members with a paid order by the as-of, within the rule's population
    /// if it declares one), each beside the naive
    /// baseline "days since the last paid order" (the most recent first for
    /// `purchase`, the least recent first for `no-purchase`).
    ///
    /// - Parameter progress: told each phase, for a person watching.
    public func backtest(
        source: String, file: String, modules: [String: String] = [:], asOf: Date, horizon: Int64,
        outcome: BacktestOutcome = .noPurchase, progress: ((String) -> Void)? = nil
    ) throws -> BacktestReport {
        let started = Date()
        guard horizon > 0 else { throw BacktestError(description: "backtest: the horizon must be positive") }
        let asOfSeconds = Int64(asOf.timeIntervalSince1970.rounded(.down))
        let preview = try Preview(runner: self, source: source, file: file, modules: modules)
        let rule = preview.rule
        guard !rule.isSegment, rule.kind == .score || rule.kind == .flag else {
            throw BacktestError(description: "backtest measures score and flag tags; \(rule.name) is \(rule.isSegment ? "a segment" : "an \(rule.kind.rawValue) tag")")
        }
        return try pool.read { db in
            progress?("evaluating \(rule.name) at the as-of")
            var values: [String?] = []
            let (table, included) = try preview.evaluate(asOf: asOfSeconds, in: db) { table, index, value in
                if values.isEmpty { values.reserveCapacity(table.count) }
                values.append(value)
                if index % 100_000 == 99_999 { progress?("evaluated \(index + 1) of \(table.count) members") }
            }
            progress?("reading what happened in the horizon")
            let (lastOrder, future, newest) = try Self.outcomes(table, asOf: asOfSeconds, horizon: horizon, in: db)
            var warnings: [String] = []
            if newest.map({ $0 < asOfSeconds + horizon }) ?? true {
                warnings.append("the horizon ends after the newest order in the store: outcomes after it are unknown")
            }
            // The baseline: days since the last paid order (never: ranked as the least recent).
            let direction = outcome == .noPurchase ? 1.0 : -1.0
            let recency = lastOrder.map { last in direction * (last.map { Double(asOfSeconds - $0) / 86_400 } ?? 1e12) }
            let positive = future.map { outcome == .noPurchase ? !$0 : $0 }
            let horizonText = Self.duration(horizon)
            let outcomeText = (outcome == .noPurchase ? "no paid order" : "a paid order") + " in (as-of, as-of + \(horizonText)]"
            let baselineName = "days since the last paid order" + (outcome == .noPurchase ? " (longest first)" : " (shortest first)")
            var report = BacktestReport(
                tag: rule.name, kind: rule.kind.rawValue, hash: preview.hash, asOf: asOfSeconds, horizon: horizon,
                outcome: outcomeText, members: 0, positives: 0, universe: "", model: .init(name: rule.name),
                baseline: .init(name: baselineName), warnings: warnings, seconds: 0)
            if rule.kind == .score {
                let measured = values.indices.filter { values[$0].flatMap(Double.init) != nil }
                let scores = measured.map { values[$0].flatMap(Double.init) ?? 0 }
                let outcomes = measured.map { positive[$0] }
                let baseline = measured.map { recency[$0] }
                report.universe = "members with a score"
                report.model.auc = RankingMetrics.auc(scores, outcomes)
                report.model.topDecileLift = RankingMetrics.topDecileLift(scores, outcomes)
                report.baseline.auc = RankingMetrics.auc(baseline, outcomes)
                report.baseline.topDecileLift = RankingMetrics.topDecileLift(baseline, outcomes)
                (report.members, report.positives) = (measured.count, outcomes.filter { $0 }.count)
            } else {
                // The rule's own population, when it declares one, is the pool both select from.
                let measured = values.indices.filter { lastOrder[$0] != nil && (included?[$0] ?? true) }
                let outcomes = measured.map { positive[$0] }
                let flagged = measured.map { values[$0] == "true" }
                let positives = outcomes.filter { $0 }.count
                let selected = flagged.filter { $0 }.count
                let hits = zip(flagged, outcomes).filter { $0 && $1 }.count
                let baselineHits = RankingMetrics.positivesInTop(selected, measured.map { recency[$0] }, outcomes)
                report.universe = "members with a paid order by the as-of" + (included == nil ? "" : " in the rule's population")
                report.model.selected = selected
                report.model.precision = selected == 0 ? nil : Double(hits) / Double(selected)
                report.model.recall = positives == 0 ? nil : Double(hits) / Double(positives)
                report.baseline.selected = selected
                report.baseline.precision = selected == 0 ? nil : baselineHits / Double(selected)
                report.baseline.recall = positives == 0 ? nil : baselineHits / Double(positives)
                (report.members, report.positives) = (measured.count, positives)
                let outside = values.indices.filter { values[$0] == "true" && lastOrder[$0] == nil }.count  // the population never holds more
                if outside > 0 { report.warnings.append("\(outside) flagged members had no paid order by the as-of and are not measured") }
            }
            report.seconds = Date().timeIntervalSince(started)
            return report
        }
    }

    /// Per member of `table`: the last paid order at or before `asOf`
    /// (`nil`: none), whether a paid order falls in the horizon, and the
    /// newest order's time in the store.
    private static func outcomes(
        _ table: FeatureTable, asOf: Int64, horizon: Int64, in db: Database
    ) throws -> (last: [Int64?], future: [Bool], newest: Int64?) {
        var last = [Int64?](repeating: nil, count: table.count)
        var future = [Bool](repeating: false, count: table.count)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT member_id, max(ts) FILTER (WHERE ts <= ?), count(*) FILTER (WHERE ts > ? AND ts <= ?)
                FROM orders WHERE paid = 1 AND ts <= ? GROUP BY member_id
                """,
            arguments: [asOf, asOf, asOf + horizon, asOf + horizon])
        while let row = try rows.next() {
            guard let index = table.index(of: row[0]) else { continue }
            last[index] = row[1]
            future[index] = (row[2] as Int64) > 0
        }
        let newest = try Int64.fetchOne(db, sql: "SELECT max(ts) FROM orders")
        return (last, future, newest)
    }

    /// `90d`, `12w`, `36h` or seconds.
    static func duration(_ seconds: Int64) -> String {
        for (unit, size) in [("y", Int64(31_536_000)), ("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)]
        where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
