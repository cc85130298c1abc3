import GRDB
import MemberStore

/// Applies a run's changes to `member_tags` and `tag_history` as they come,
/// inside the run's transaction: only members whose value changed are written.
struct RunWriter {
    let db: Database
    let tagID: Int64
    let runID: Int64
    let asOf: Int64
    var tracker: ChangeTracker
    /// When set, every change is also kept here (for a segment's reach hooks).
    var changes: [ReachDispatcher.Change]?
    private let insert: RawStatement
    private let update: RawStatement
    private let delete: RawStatement
    private let history: RawStatement

    init(db: Database, tagID: Int64, runID: Int64, asOf: Int64, members: [Int64]? = nil) throws {
        self.db = db
        self.tagID = tagID
        self.runID = runID
        self.asOf = asOf
        tracker = try ChangeTracker(tagID: tagID, members: members, in: db)
        insert = RawStatement(try db.cachedStatement(
            sql: "INSERT INTO member_tags(tag_id, member_id, value, since, run_id) VALUES (?, ?, ?, ?, ?)"))
        update = RawStatement(try db.cachedStatement(
            sql: "UPDATE member_tags SET value = ?, since = ?, run_id = ? WHERE tag_id = ? AND member_id = ?"))
        delete = RawStatement(try db.cachedStatement(sql: "DELETE FROM member_tags WHERE tag_id = ? AND member_id = ?"))
        history = RawStatement(try db.cachedStatement(
            sql: """
                INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'run')
                """))
    }

    /// Records member `id`'s new value, writing it if it changed; returns the
    /// change and the old value, or `nil` when nothing changed.
    @discardableResult
    mutating func accept(member id: Int64, value: String?) throws -> (ChangeTracker.Change, old: String?)? {
        guard let (change, old) = tracker.record(member: id, value: value) else { return nil }
        // Parameters bound with the C API: this loop writes millions of rows on a first run.
        switch change {
        case .gained:
            insert.reset()
            insert.bind(1, tagID); insert.bind(2, id); insert.bind(3, value); insert.bind(4, asOf); insert.bind(5, runID)
            try insert.execute()
        case .changed:
            update.reset()
            update.bind(1, value); update.bind(2, asOf); update.bind(3, runID); update.bind(4, tagID); update.bind(5, id)
            try update.execute()
        case .lost:
            delete.reset()
            delete.bind(1, tagID); delete.bind(2, id)
            try delete.execute()
        }
        history.reset()
        history.bind(1, runID); history.bind(2, tagID); history.bind(3, id); history.bind(4, change.rawValue)
        history.bind(5, old); history.bind(6, value); history.bind(7, asOf)
        try history.execute()
        if changes != nil, change != .changed {
            changes?.append(.init(memberID: id, transition: change == .gained ? "entered" : "left"))
        }
        return (change, old)
    }
}
