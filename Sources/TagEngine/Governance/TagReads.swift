import Foundation
import GRDB

/// Counts reads of tags (a profile shown, a tag inspected, an export) per day
/// and channel, so the culling review can flag tags nobody reads.
public enum TagReads {
    /// Records one read of each of `names` through `via` (`cli`, `api`...).
    public static func record(_ names: [String], via: String, pool: DatabasePool, at: Date = Date()) {
        guard !names.isEmpty else { return }
        let now = Int64(at.timeIntervalSince1970)
        // Best effort: a read must never fail because its bookkeeping could not be written.
        try? pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO tag_reads(tag_id, day, via, count, last_at)
                SELECT id, ? / 86400, ?, 1, ? FROM tags WHERE name = ?
                ON CONFLICT(tag_id, day, via) DO UPDATE SET count = count + 1, last_at = excluded.last_at
                """)
            for name in names { try statement.execute(arguments: [now, via, now, name]) }
        }
    }

    /// The last read of tag `tagID`, if any.
    static func lastRead(tagID: Int64, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(last_at) FROM tag_reads WHERE tag_id = ?", arguments: [tagID])
    }
}
