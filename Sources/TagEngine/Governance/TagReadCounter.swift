import Foundation
import GRDB

/// Counts tag reads in memory and writes them in batches, so that serving a
/// profile never waits for the store's write lock (the server flushes every
/// second; the CLI writes through ``TagReads/record(_:via:pool:at:)``).
public final class TagReadCounter: @unchecked Sendable {
    private var pending: [String: (count: Int, last: Int64)] = [:]
    private let lock = NSLock()

    /// Creates an empty counter.
    public init() {}

    /// Counts one read of each of `names` through `via`.
    public func record(_ names: [String], via: String, at: Date = Date()) {
        let now = Int64(at.timeIntervalSince1970)
        lock.withLock {
            for name in names {
                let key = name + "\u{0}" + via
                pending[key] = ((pending[key]?.count ?? 0) + 1, now)
            }
        }
    }

    /// Writes the counted reads to `tag_reads` and clears them.
    public func flush(into pool: DatabasePool) throws {
        let batch = lock.withLock {
            let taken = pending
            pending.removeAll()
            return taken
        }
        guard !batch.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO tag_reads(tag_id, day, via, count, last_at)
                SELECT id, ? / 86400, ?, ?, ? FROM tags WHERE name = ?
                ON CONFLICT(tag_id, day, via) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at
                """)
            for (key, value) in batch {
                let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                try statement.execute(arguments: [value.last, parts[1], value.count, value.last, parts[0]])
            }
        }
    }
}
