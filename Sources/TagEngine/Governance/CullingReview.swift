import Foundation
import GRDB

/// Finds active tags that look useless: empty or universal coverage over the
/// last runs, failing runs, stale (refresh slots missed), orphaned, or not
/// read for a while. A tag with no dependants is noted as safe to retire.
public struct CullingReview: Sendable {
    /// Thresholds.
    public struct Options: Sendable {
        /// How many recent runs decide empty, universal and failing.
        public var runs: Int
        /// Days without a read before a tag counts as unread.
        public var unreadDays: Int
        /// The review's "now".
        public var now: Date

        /// Creates options.
        public init(runs: Int = 3, unreadDays: Int = 30, now: Date = Date()) {
            self.runs = runs
            self.unreadDays = unreadDays
            self.now = now
        }
    }

    /// The store.
    public let pool: DatabasePool

    /// Creates a review over `pool`.
    public init(pool: DatabasePool) { self.pool = pool }

    /// Options from the store's settings (`review_runs`, `review_unread_days`).
    public func defaultOptions(now: Date = Date()) throws -> Options {
        try pool.read { db in
            Options(
                runs: Int(try Settings.value(.reviewRuns, in: db)) ?? 3,
                unreadDays: Int(try Settings.value(.reviewUnreadDays, in: db)) ?? 30, now: now)
        }
    }

    /// The candidates, by name.
    public func candidates(_ options: Options) throws -> [ReviewCandidate] {
        try pool.read { db in
            let tags = try TagRecord.filter(Column("state") == TagState.active.rawValue).order(Column("name")).fetchAll(db)
            return try tags.compactMap { tag in
                let reasons = try self.reasons(for: tag, options, in: db)
                guard !reasons.isEmpty else { return nil }
                let dependants = try TagRegistry.dependants(of: tag.name, in: db)
                return ReviewCandidate(
                    name: tag.name, reasons: reasons + (dependants.isEmpty ? ["no dependants"] : []), dependants: dependants)
            }
        }
    }

    private func reasons(for tag: TagRecord, _ options: Options, in db: Database) throws -> [String] {
        var reasons: [String] = []
        let runs = try Row.fetchAll(
            db, sql: "SELECT status, members, covered, started_at FROM runs WHERE tag_id = ? ORDER BY id DESC LIMIT ?",
            arguments: [tag.id, options.runs])
        if runs.count == options.runs {
            let statuses = runs.map { $0["status"] as String }
            if statuses.allSatisfy({ $0 == "failed" }) {
                reasons.append("the last \(options.runs) runs failed")
            } else if statuses.allSatisfy({ $0 == "succeeded" }) {
                if runs.allSatisfy({ ($0["covered"] as Int) == 0 }) {
                    reasons.append("empty: no member had it in the last \(options.runs) runs")
                } else if runs.allSatisfy({ ($0["covered"] as Int) == ($0["members"] as Int) && ($0["members"] as Int) > 0 }) {
                    reasons.append("universal: every member had it in the last \(options.runs) runs")
                }
            }
        }
        if tag.orphaned { reasons.append("orphaned: its rule file is gone") }
        if let stale = try staleness(of: tag, now: options.now, in: db) { reasons.append(stale) }
        let since = options.now.timeIntervalSince1970 - Double(options.unreadDays * 86_400)
        let lastRead = try tag.id.flatMap { try TagReads.lastRead(tagID: $0, in: db) }
        let activeSince = try activeSince(tag, in: db)
        if Double(lastRead ?? activeSince) < since {
            reasons.append(lastRead == nil ? "never read in \(options.unreadDays)+ days active" : "not read for \(options.unreadDays)+ days")
        }
        return reasons
    }

    private func activeSince(_ tag: TagRecord, in db: Database) throws -> Int64 {
        try tag.liveVersionId.flatMap { try TagVersionRecord.fetchOne(db, key: $0)?.decidedAt } ?? tag.updatedAt
    }

    private func staleness(of tag: TagRecord, now: Date, in db: Database) throws -> String? {
        guard let version = try tag.liveVersionId.flatMap({ try TagVersionRecord.fetchOne(db, key: $0) }),
            let refresh = version.refresh, let schedule = try? RefreshSchedule(parsing: refresh), !schedule.isRealtime
        else { return nil }
        let lastRun = try Double.fetchOne(db, sql: "SELECT max(as_of) FROM runs WHERE tag_id = ?", arguments: [tag.id])
        let status = schedule.status(
            lastRun: lastRun.map { Date(timeIntervalSince1970: $0) },
            activeSince: Date(timeIntervalSince1970: TimeInterval(try activeSince(tag, in: db))), now: now)
        guard status.isStale else { return nil }
        return "stale: \(status.missedSlots) refresh slots (\(refresh)) missed"
    }
}
