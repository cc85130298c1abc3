import GRDB

/// Suspends the `change_log` triggers for one bulk import, inside its
/// transaction, while ``IngestWriter`` logs the members it changes itself
/// (``IngestWriter/deferChangeLog()``) and writes them set-wise at the end.
///
/// With a trigger on a table, every single-row INSERT or UPDATE of it is a
/// multi-row write to SQLite and runs under a statement journal (a
/// savepoint copying each page it touches): that, not the insert, was most
/// of an import's time. The triggers are dropped and created again from
/// their own stored SQL in the same transaction, so a rollback, an error or
/// kill -9 at any moment leaves them exactly as they were, and other
/// connections never see the store without them.
struct ChangeLogPause {
    /// The paused triggers' names and `CREATE TRIGGER` statements.
    private let triggers: [(name: String, sql: String)]

    /// Drops the triggers on members, orders and events that write
    /// `change_log` (the changes the writer logs itself); `db` must be inside a write transaction.
    init(_ db: Database) throws {
        triggers = try Row.fetchAll(
            db,
            sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('members', 'orders', 'events')
                AND sql LIKE '%change_log%' ORDER BY name
                """
        ).map { ($0[0], $0[1]) }
        for trigger in triggers {
            try db.execute(sql: "DROP TRIGGER \(trigger.name.quotedDatabaseIdentifier)")
        }
    }

    /// Creates the triggers again (before the transaction commits).
    func restore(_ db: Database) throws {
        for trigger in triggers { try db.execute(sql: trigger.sql) }
    }
}
