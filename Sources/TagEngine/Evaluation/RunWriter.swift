import GRDB

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
    private let insert: Statement
    private let update: Statement
    private let delete: Statement
    private let history: Statement

    init(db: Database, tagID: Int64, runID: Int64, asOf: Int64, members: [Int64]? = nil) throws {
        self.db = db
        self.tagID = tagID
        self.runID = runID
        self.asOf = asOf
        tracker = try ChangeTracker(tagID: tagID, members: members, in: db)
        insert = try db.cachedStatement(
            sql: "INSERT INTO member_tags(tag_id, member_id, value, since, run_id) VALUES (?, ?, ?, ?, ?)")
        update = try db.cachedStatement(
            sql: "UPDATE member_tags SET value = ?, since = ?, run_id = ? WHERE tag_id = ? AND member_id = ?")
        delete = try db.cachedStatement(sql: "DELETE FROM member_tags WHERE tag_id = ? AND member_id = ?")
        history = try db.cachedStatement(
            sql: """
                INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'run')
                """)
    }

    /// Records member `id`'s new value, writing it if it changed.
    mutating func accept(member id: Int64, value: String?) throws {
        guard let (change, old) = tracker.record(member: id, value: value) else { return }
        switch change {
        case .gained: try insert.execute(arguments: [tagID, id, value, asOf, runID])
        case .changed: try update.execute(arguments: [value, asOf, runID, tagID, id])
        case .lost: try delete.execute(arguments: [tagID, id])
        }
        try history.execute(arguments: [runID, tagID, id, change.rawValue, old, value, asOf])
        if changes != nil, change != .changed {
            changes?.append(.init(memberID: id, transition: change == .gained ? "entered" : "left"))
        }
    }
}
