import Foundation
import GRDB

/// Counts tag reads in memory and writes them in batches, so that serving a
/// profile never waits for the store's write lock (the server flushes every
/// second; the CLI writes through ``TagReads/record(_:via:pool:at:)``).
public final class TagReadCounter: Sendable {
    /// A tag and the channel it was read through.
    struct Key: Hashable, Sendable {
        var tag: String
        var via: String
    }

    /// How many reads, and the time of the last one.
    struct Tally: Sendable {
        var count: Int
        var last: Int64
    }

    private let pending = PendingCounts<Key, Tally> { held, more in
        held.count += more.count
        held.last = max(held.last, more.last)
    }

    /// Creates an empty counter.
    public init() {}

    /// Counts one read of each of `names` through `via`.
    public func record(_ names: [String], via: String, at: Date = Date()) {
        let now = Int64(at.timeIntervalSince1970)
        for name in names { pending.add(Tally(count: 1, last: now), for: Key(tag: name, via: via)) }
    }

    /// The reads counted and not yet written.
    public var unflushed: [(tag: String, via: String, count: Int)] {
        pending.unflushed.map { ($0.key.tag, $0.key.via, $0.value.count) }
    }

    /// Writes the counted reads to `tag_reads` and clears them.
    ///
    /// When the write fails (the store is busy, say) the counts are kept and
    /// merged with the reads counted meanwhile, so the next flush writes them;
    /// the error is rethrown.
    public func flush(into pool: DatabasePool) throws {
        try pending.flush { batch in
            try pool.write { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO tag_reads(tag_id, day, via, count, last_at)
                    SELECT id, ? / 86400, ?, ?, ? FROM tags WHERE name = ?
                    ON CONFLICT(tag_id, day, via) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at
                    """)
                for (key, tally) in batch {
                    try statement.execute(arguments: [tally.last, key.via, tally.count, tally.last, key.tag])
                }
            }
        }
    }
}
