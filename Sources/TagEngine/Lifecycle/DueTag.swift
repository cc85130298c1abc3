import Foundation
import GRDB

/// An active tag's position in its refresh cycle.
public struct DueTag: Sendable, Codable {
    /// The tag.
    public var name: String
    /// The declared refresh cycle.
    public var refresh: String
    /// `realtime` tags follow events and are never due.
    public var isRealtime: Bool
    /// A slot passed since the last run.
    public var isDue: Bool
    /// At least one whole slot was missed.
    public var isStale: Bool
    /// Slots passed since the last run.
    public var missedSlots: Int
    /// The first slot after the last run, when due.
    public var dueSince: Int64?
    /// The next slot after now.
    public var next: Int64?
    /// The as-of time of the last run (a run as of T refreshed the tag up to T).
    public var lastRun: Int64?
    /// Why the refresh cycle cannot be used, if it cannot.
    public var problem: String?
}

extension TagRegistry {
    /// Every active tag with its due state at `now`.
    public func dueTags(at now: Date = Date()) throws -> [DueTag] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.id, t.name, v.refresh, v.decided_at, (SELECT max(as_of) FROM runs r WHERE r.tag_id = t.id) AS last_run
                FROM tags t JOIN tag_versions v ON v.id = t.live_version_id WHERE t.state = 'active' AND t.kind <> 'identity' ORDER BY t.name
                """)
            return rows.map { row in
                let refresh: String = row["refresh"] ?? ""
                let lastRun: Double? = row["last_run"]
                let activeSince = Date(timeIntervalSince1970: TimeInterval(row["decided_at"] as Int64? ?? 0))
                var due = DueTag(
                    name: row["name"], refresh: refresh, isRealtime: false, isDue: false, isStale: false, missedSlots: 0,
                    lastRun: lastRun.map { Int64($0) })
                do {
                    let schedule = try RefreshSchedule(parsing: refresh)
                    due.isRealtime = schedule.isRealtime
                    guard !schedule.isRealtime else { return due }
                    let status = schedule.status(
                        lastRun: lastRun.map { Date(timeIntervalSince1970: $0) }, activeSince: activeSince, now: now)
                    due.isDue = status.isDue
                    due.isStale = status.isStale
                    due.missedSlots = status.missedSlots
                    due.dueSince = status.dueSince.map { Int64($0.timeIntervalSince1970) }
                    due.next = status.next.map { Int64($0.timeIntervalSince1970) }
                } catch {
                    due.problem = "\(error)"
                }
                return due
            }
        }
    }
}
