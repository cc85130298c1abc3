import Foundation
import GRDB
import NIOConcurrencyHelpers

/// A tag's runs with each value's count after each run: the trend chart.
///
/// Counts come from `tag_history`: each run's gains, losses and changes,
/// grouped by run and value, added up run after run. Grouping a big tag's
/// whole history takes seconds at 1M members, so each tag's totals are kept
/// in memory and extended only by the history of runs newer than the last
/// one folded in (the index `tag_history_tag(tag_id, run_id)` finds them);
/// a page after a new run reads only that run's changes.
final class RunTrends: Sendable {
    /// One run on the chart.
    struct Point: Sendable {
        var runID: Int64
        var asOf: Int64
        var status: String
        var trigger: String
        /// Members holding the tag after this run.
        var covered: Int
        var gained: Int
        var lost: Int
        var changed: Int
        /// Members holding each value after this run.
        var values: [String: Int]
    }

    /// What is kept per tag: the points and the running totals.
    struct Trend: Sendable {
        var points: [Point] = []
        var totals: [String: Int] = [:]
        var lastRun: Int64 = 0
    }

    /// The most runs a chart shows (the newest).
    static let maxPoints = 60

    let pool: DatabasePool
    private let trends = NIOLockedValueBox([Int64: Trend]())

    init(pool: DatabasePool) { self.pool = pool }

    /// The trend of `tagID`, brought up to date with runs since the last call.
    func trend(of tagID: Int64) throws -> [Point] {
        let known = trends.withLockedValue { $0[tagID] } ?? Trend()
        let updated = try pool.read { db in try Self.extend(known, tagID: tagID, in: db) }
        trends.withLockedValue { all in
            if (all[tagID]?.lastRun ?? 0) <= updated.lastRun { all[tagID] = updated }
        }
        return Array(updated.points.suffix(Self.maxPoints))
    }

    /// Computes every tag's trend (at server start, in the background).
    func warmUp() {
        Thread.detachNewThread { [self] in
            guard let ids = try? pool.read({ db in try Int64.fetchAll(db, sql: "SELECT id FROM tags ORDER BY id") }) else { return }
            for id in ids { _ = try? trend(of: id) }
        }
    }

    static func extend(_ known: Trend, tagID: Int64, in db: Database) throws -> Trend {
        var trend = known
        let runs = try Row.fetchAll(db, sql: """
            SELECT id, as_of, status, trigger, covered, gained, lost, changed FROM runs
            WHERE tag_id = ? AND id > ? AND status <> 'running' ORDER BY id
            """, arguments: [tagID, known.lastRun])
        guard let newest = runs.last?["id"] as Int64? else { return trend }
        var deltas: [Int64: [String: Int]] = [:]
        let changes = try Row.fetchCursor(db, sql: """
            SELECT run_id, change, old_value, new_value, count(*) FROM tag_history
            WHERE tag_id = ? AND run_id > ? AND run_id <= ? GROUP BY run_id, change, old_value, new_value
            """, arguments: [tagID, known.lastRun, newest])
        while let row = try changes.next() {
            let run: Int64 = row[0]
            let n: Int = row[4]
            if let old: String = row[2] { deltas[run, default: [:]][old, default: 0] -= n }
            if let new: String = row[3] { deltas[run, default: [:]][new, default: 0] += n }
        }
        for row in runs {
            let id: Int64 = row["id"]
            let status: String = row["status"]
            for (value, delta) in deltas[id] ?? [:] { trend.totals[value, default: 0] += delta }
            trend.totals = trend.totals.filter { $0.value != 0 }
            if status == "succeeded" {
                trend.points.append(
                    Point(
                        runID: id, asOf: row["as_of"], status: status, trigger: row["trigger"], covered: trend.totals.values.reduce(0, +),
                        gained: row["gained"], lost: row["lost"], changed: row["changed"], values: trend.totals))
            }
            trend.lastRun = id
        }
        if trend.points.count > maxPoints * 4 { trend.points.removeFirst(trend.points.count - maxPoints) }
        return trend
    }
}
