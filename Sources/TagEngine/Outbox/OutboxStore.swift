import Foundation
import GRDB

/// The durable outbox: messages from reach hooks (and hooks to retry),
/// delivered at least once with an idempotency key.
public enum OutboxStore {
    /// Queues an entry; an entry with the same idempotency key is ignored.
    static func insert(
        kind: String, segment: String, memberID: Int64?, transition: String, runID: Int64?, plugin: String, channel: String?,
        payload: String, key: String, in db: Database
    ) throws {
        let now = Date().timeIntervalSince1970
        try db.execute(
            sql: """
                INSERT INTO outbox(kind, segment, member_id, transition, run_id, plugin, channel, payload, idempotency_key,
                                   status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT(idempotency_key) DO NOTHING
                """,
            arguments: [kind, segment, memberID, transition, runID, plugin, channel, payload, key, now, now])
    }

    /// An outbox entry as listed.
    public struct Entry: Sendable, Codable, FetchableRecord {
        /// The entry's row id.
        public var id: Int64
        /// `message` (emitted by a hook) or `hook` (a failed hook to run again).
        public var kind: String
        /// The segment whose run queued it.
        public var segment: String
        /// The member's external id; `nil` for `on_run` entries.
        public var member: String?
        /// `entered`, `left` or `run`.
        public var transition: String
        /// The reach plugin.
        public var plugin: String
        /// Where a message goes, `webhook` or `file`; `nil` for hooks.
        public var channel: String?
        /// The message as JSON (for a hook: its as-of time).
        public var payload: String
        /// The idempotency key: an entry with a known key is not queued again.
        public var key: String
        /// `pending`, `delivered` or `dead`.
        public var status: String
        /// Delivery attempts so far.
        public var attempts: Int
        /// When the next attempt is due (epoch seconds UTC, fractional).
        public var nextAttemptAt: Double
        /// Why the last attempt failed; `nil` before any failure or after delivery.
        public var lastError: String?
        /// When it was delivered (epoch seconds UTC, fractional); `nil` until then.
        public var deliveredAt: Double?

        /// Decodes a row of `outbox` joined with the member's `external_id`.
        public init(row: Row) {
            id = row["id"]
            kind = row["kind"]
            segment = row["segment"]
            member = row["external_id"]
            transition = row["transition"]
            plugin = row["plugin"]
            channel = row["channel"]
            payload = row["payload"]
            key = row["idempotency_key"]
            status = row["status"]
            attempts = row["attempts"]
            nextAttemptAt = row["next_attempt_at"]
            lastError = row["last_error"]
            deliveredAt = row["delivered_at"]
        }
    }

    /// Entries, newest first, optionally only those with `status`.
    public static func entries(status: String? = nil, limit: Int = 100, in db: Database) throws -> [Entry] {
        try Entry.fetchAll(
            db,
            sql: """
                SELECT o.*, m.external_id FROM outbox o LEFT JOIN members m ON m.id = o.member_id
                WHERE (? IS NULL OR o.status = ?) ORDER BY o.id DESC LIMIT ?
                """, arguments: [status, status, limit])
    }

    /// Counts by status.
    public static func counts(in db: Database) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM outbox GROUP BY status") { result[row[0]] = row[1] }
        return result
    }

    /// Makes dead entries (or entry `id`) pending again, due now. Returns how many.
    @discardableResult
    public static func retry(id: Int64? = nil, in db: Database) throws -> Int {
        try db.execute(
            sql: """
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?
                WHERE status = 'dead' AND (? IS NULL OR id = ?)
                """, arguments: [Date().timeIntervalSince1970, id, id])
        return db.changesCount
    }
}
