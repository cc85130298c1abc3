import GRDB

extension IngestWriter {
    /// Holds the identity rows resolution attaches in memory from now on
    /// (``PendingIdentities``) instead of inserting each at once; call
    /// ``writePendingIdentities()`` before the transaction commits;
    /// `expected`: about how many rows it will hold (sizes its table).
    ///
    /// Every look-up the writer makes sees them: by value (``owner(_:)``),
    /// a member's count per channel (the limits), and the rows of two
    /// members a record links are written before the limits are compared in
    /// the store and a merge moves them (``writePending(of:)``).
    func deferIdentities(expected: Int = 0) throws {
        let last = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM members") ?? 0
        pendingIdentities = PendingIdentities(firstNew: last + 1, expected: expected)
    }

    /// Notes that member `id` has rows in the store besides its own (an
    /// order, an event, an identity written), so a merge moves them there.
    func noteStoredRows(of id: Int64) {
        guard let pending = pendingIdentities, id >= pending.firstNew else { return }
        storedRowsOfNew.insert(id)
    }

    /// Whether every row of member `id` but its own is held in memory: the
    /// import created it and wrote it no order, event or identity, so
    /// merging it moves nothing in the store (``PendingIdentities/move(from:to:)``).
    func isHeldOnly(_ id: Int64) -> Bool {
        guard let pending = pendingIdentities else { return false }
        return id >= pending.firstNew && !storedRowsOfNew.contains(id)
    }

    /// Writes member `id`'s pending identity rows to the store now.
    func writePending(of id: Int64) throws {
        guard let rows = pendingIdentities?.take(id), !rows.isEmpty else { return }
        noteStoredRows(of: id)
        for row in rows { try statements.insertIdentity.executeIdentity(row.channel, row.value, member: id, origin: row.origin) }
    }

    /// Writes every pending identity row, sorted by primary key, many to a
    /// statement; when they outnumber the rows stored, the
    /// `identities_member` index is dropped first and built again after
    /// (one sort instead of a random insert per row; in this transaction,
    /// so an error, a rollback or kill -9 leaves it as it was).
    func writePendingIdentities() throws {
        guard let pending = pendingIdentities else { return }
        // The filter holds only what was stored before: from now on the store is asked.
        pendingIdentities = nil
        identityFilter = nil
        guard pending.count > 0 else { return }
        let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM identities LIMIT ?)", arguments: [pending.count]) ?? 0
        let index = stored < pending.count ? try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'identities_member'") : nil
        if index != nil { try db.execute(sql: "DROP INDEX identities_member") }
        // Many rows a statement: one statement per row costs more in starting it than in the insert.
        let perStatement = 100
        let many = try RawStatement(db.makeStatement(
            sql: "INSERT INTO identities(channel, external_id, member_id, origin_id) VALUES " + Array(repeating: "(?, ?, ?, ?)", count: perStatement).joined(separator: ", ")))
        let sorted = pending.sortedRows()
        var start = 0
        while start < sorted.count {
            let end = min(start + perStatement, sorted.count)
            if end - start == perStatement {
                many.reset()
                for (offset, row) in sorted[start..<end].enumerated() {
                    let row = Int(row)
                    let first = Int32(4 * offset)
                    let origin = pending.origins[row]
                    many.bind(first + 1, pending.channel(ofRow: row))
                    many.bind(first + 2, pending.values[row])
                    many.bind(first + 3, pending.members[row])
                    many.bind(first + 4, origin == 0 ? nil : origin)
                }
                try many.executeDirectly()
            } else {
                for row in sorted[start..<end] {
                    let row = Int(row)
                    try statements.insertIdentity.executeIdentity(
                        pending.channel(ofRow: row), pending.values[row], member: pending.members[row], origin: pending.origins[row])
                }
            }
            start = end
        }
        if let index { try db.execute(sql: index) }
    }
}
