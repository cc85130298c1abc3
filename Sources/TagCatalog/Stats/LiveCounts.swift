import Foundation
import GRDB
import NIOConcurrencyHelpers

/// Each tag's live value counts and the number of members, kept between
/// pages: counting a big tag's values reads its whole index range (about
/// 0.3 s for 600,000 holders on the 2-core bench machine), and counting 1M
/// members 0.1 s.
///
/// A tag's counts are recounted only when its newest `tag_history` id moved
/// (every write to its live values records history: runs, realtime changes,
/// retirement), found through `tag_history_tag_id(tag_id, id)`; the member
/// count only when the newest member id moved.
final class LiveCounts: Sendable {
    /// One value with its holders.
    struct Value: Sendable {
        var value: String
        var count: Int
    }

    let pool: DatabasePool
    private let values = NIOLockedValueBox([Int64: (mark: Int64, values: [Value])]())
    private let members = NIOLockedValueBox<(mark: Int64, count: Int)?>(nil)

    init(pool: DatabasePool) { self.pool = pool }

    /// The live values of `tagID` with their counts, most frequent first.
    func values(of tagID: Int64) throws -> [Value] {
        try pool.read { db in
            let mark = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM tag_history WHERE tag_id = ?", arguments: [tagID]) ?? 0
            if let known = values.withLockedValue({ $0[tagID] }), known.mark == mark { return known.values }
            let counted = try Row.fetchAll(
                db, sql: "SELECT value, count(*) AS n FROM member_tags WHERE tag_id = ? GROUP BY value ORDER BY n DESC, value",
                arguments: [tagID]
            ).map { Value(value: $0["value"], count: $0["n"]) }
            values.withLockedValue { $0[tagID] = (mark, counted) }
            return counted
        }
    }

    /// Members in the store.
    func memberCount() throws -> Int {
        try pool.read { db in
            let mark = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM members") ?? 0
            if let known = members.withLockedValue({ $0 }), known.mark == mark { return known.count }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM members") ?? 0
            members.withLockedValue { $0 = (mark, count) }
            return count
        }
    }

    /// Counts every tag (at server start, in the background).
    func warmUp() {
        Thread.detachNewThread { [self] in
            _ = try? memberCount()
            guard let ids = try? pool.read({ db in try Int64.fetchAll(db, sql: "SELECT id FROM tags ORDER BY id") }) else { return }
            for id in ids { _ = try? values(of: id) }
        }
    }
}
