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
        public var id: Int64
        public var kind: String
        public var segment: String
        public var member: String?
        public var transition: String
        public var plugin: String
        public var channel: String?
        public var payload: String
        public var key: String
        public var status: String
        public var attempts: Int
        public var nextAttemptAt: Double
        public var lastError: String?
        public var deliveredAt: Double?

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
