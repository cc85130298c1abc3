import GRDB

extension IngestWriter {
    /// The members a writer changed while the `change_log` triggers are
    /// paused (``ChangeLogPause``), written set-wise by ``writeDeferredChangeLog()``.
    struct DeferredChanges {
        /// Every member with this row id or a higher one was created by the writer.
        let firstNew: Int64
        /// Members stored before the writer started that it changed.
        var older: Set<Int64> = []
    }

    /// Logs changed members in memory from now on instead of relying on the
    /// `change_log` triggers (which the caller has paused); call
    /// ``writeDeferredChangeLog()`` before the transaction commits.
    func deferChangeLog() throws {
        let last = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM members") ?? 0
        deferredChanges = DeferredChanges(firstNew: last + 1)
    }

    /// Notes that member `id`'s row, orders or events changed (what the
    /// triggers would have logged); new members are logged by range at the end.
    func logChange(_ id: Int64) {
        guard let firstNew = deferredChanges?.firstNew, id < firstNew else { return }
        deferredChanges?.older.insert(id)
    }

    /// Appends every member changed since ``deferChangeLog()`` to
    /// `change_log`: the members created, by their id range, and the older
    /// ones changed, each once (runs read the log's distinct members).
    func writeDeferredChangeLog() throws {
        guard let changes = deferredChanges else { return }
        try db.execute(sql: "INSERT INTO change_log(member_id) SELECT id FROM members WHERE id >= ? ORDER BY id", arguments: [changes.firstNew])
        let insert = try RawStatement(db.makeStatement(sql: "INSERT INTO change_log(member_id) VALUES (?)"))
        for id in changes.older.sorted() {
            insert.reset()
            insert.bind(1, id)
            try insert.executeDirectly()
        }
        deferredChanges = nil
    }
}
