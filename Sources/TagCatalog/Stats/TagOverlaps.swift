import Foundation
import GRDB
import NIOConcurrencyHelpers

/// How many members hold each pair of tags, from the live values: the
/// "related tags by overlap" of a tag page.
///
/// One pass over the covering index `member_tags_member(member_id, tag_id)`
/// streams every live value in member order; each member's tags add one to
/// every pair they form, in a tags-by-tags matrix (tens of tags, so a few
/// kilobytes). At 1M members and 3.3M values the pass takes about a second,
/// so it never runs in a request: the matrix is kept and recomputed in the
/// background when live values changed (the newest `tag_history` id moved),
/// at most once per ``refreshInterval``. A page shows the matrix it has,
/// with the time it was computed.
final class TagOverlaps: Sendable {
    /// One computed matrix.
    struct Snapshot: Sendable {
        /// The tag ids, in matrix order.
        var tagIDs: [Int64]
        /// Holders of each tag.
        var holders: [Int]
        /// `pairs[i * n + j]`: members holding both tag i and tag j.
        var pairs: [Int]
        /// Members in the store.
        var members: Int
        /// The newest `tag_history` id when the pass began.
        var mark: Int64
        /// When it was computed.
        var computedAt: Date
        /// How long the pass took.
        var seconds: Double
    }

    /// One related tag of a tag page.
    struct Related: Sendable {
        var tagID: Int64
        /// Members holding both.
        var both: Int
        /// Share of this tag's holders that hold the other.
        var share: Double
        /// P(other | this) / P(other): above 1, the two go together more than by chance.
        var lift: Double
        /// Both / either (Jaccard), the ranking.
        var jaccard: Double
    }

    let pool: DatabasePool
    /// The shortest time between two recomputations.
    let refreshInterval: TimeInterval
    private let state = NIOLockedValueBox<(snapshot: Snapshot?, computing: Bool)>((nil, false))

    init(pool: DatabasePool, refreshInterval: TimeInterval = 30) {
        self.pool = pool
        self.refreshInterval = refreshInterval
    }

    /// The current matrix; computed now if there is none yet (`nil` while the
    /// first background pass runs), recomputed in the background when it is
    /// out of date.
    func snapshot() throws -> Snapshot? {
        let (current, computing) = state.withLockedValue { ($0.snapshot, $0.computing) }
        if let current {
            refreshInBackgroundIfStale(current)
            return current
        }
        if computing { return nil }
        let fresh = try Self.compute(pool)
        state.withLockedValue { $0.snapshot = fresh }
        return fresh
    }

    /// Starts a background computation (at server start, so that the first page finds a matrix).
    func warmUp() {
        startBackground()
    }

    /// The tags related to `tagID`, best first (at most `limit`).
    func related(to tagID: Int64, limit: Int = 8) throws -> (items: [Related], snapshot: Snapshot?) {
        guard let snapshot = try snapshot() else { return ([], nil) }
        guard let i = snapshot.tagIDs.firstIndex(of: tagID) else { return ([], snapshot) }
        let n = snapshot.tagIDs.count
        let mine = snapshot.holders[i]
        let items = snapshot.tagIDs.indices.compactMap { j -> Related? in
            let both = snapshot.pairs[i * n + j]
            guard j != i, both > 0, mine > 0 else { return nil }
            let theirs = snapshot.holders[j]
            let share = Double(both) / Double(mine)
            let lift = snapshot.members == 0 || theirs == 0 ? 0 : share / (Double(theirs) / Double(snapshot.members))
            return Related(
                tagID: snapshot.tagIDs[j], both: both, share: share, lift: lift, jaccard: Double(both) / Double(mine + theirs - both))
        }
        return (Array(items.sorted { ($0.jaccard, $1.tagID) > ($1.jaccard, $0.tagID) }.prefix(limit)), snapshot)
    }

    private func refreshInBackgroundIfStale(_ current: Snapshot) {
        guard Date().timeIntervalSince(current.computedAt) >= refreshInterval else { return }
        guard let mark = try? pool.read({ db in try Self.mark(db) }), mark != current.mark else { return }
        startBackground()
    }

    private func startBackground() {
        let start = state.withLockedValue { value -> Bool in
            guard !value.computing else { return false }
            value.computing = true
            return true
        }
        guard start else { return }
        Thread.detachNewThread { [self] in
            let fresh = try? Self.compute(pool)
            state.withLockedValue { value in
                if let fresh { value.snapshot = fresh }
                value.computing = false
            }
        }
    }

    static func mark(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM tag_history") ?? 0
    }

    /// The pass over every live value, in one read transaction.
    static func compute(_ pool: DatabasePool) throws -> Snapshot {
        let started = Date()
        return try pool.read { db in
            let mark = try mark(db)
            let tagIDs = try Int64.fetchAll(db, sql: "SELECT id FROM tags ORDER BY id")
            let index = Dictionary(uniqueKeysWithValues: tagIDs.enumerated().map { ($1, $0) })
            let n = tagIDs.count
            var holders = [Int](repeating: 0, count: n)
            var pairs = [Int](repeating: 0, count: n * n)
            var current: Int64 = -1
            var held: [Int] = []
            func flush() {
                for a in held {
                    holders[a] += 1
                    for b in held where b != a { pairs[a * n + b] += 1 }
                }
                held.removeAll(keepingCapacity: true)
            }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT member_id, tag_id FROM member_tags INDEXED BY member_tags_member ORDER BY member_id")
            while let row = try rows.next() {
                let member: Int64 = row[0]
                if member != current {
                    flush()
                    current = member
                }
                if let i = index[row[1]] { held.append(i) }
            }
            flush()
            let members = try Int.fetchOne(db, sql: "SELECT count(*) FROM members") ?? 0
            return Snapshot(
                tagIDs: tagIDs, holders: holders, pairs: pairs, members: members, mark: mark, computedAt: Date(),
                seconds: Date().timeIntervalSince(started))
        }
    }
}
