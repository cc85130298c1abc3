import GRDB

extension IdentityMerger {
    /// What a split restored.
    public struct SplitResult: Sendable, Hashable {
        /// The merge undone.
        public var mergeID: Int64
        /// The member that had survived.
        public var survivor: Int64
        /// The member brought back.
        public var absorbed: Int64
        /// Orders, events and identities moved back.
        public var rows: Int
    }

    /// The merge that absorbed `member` or, for a live member, the newest
    /// merge into it, that is not undone (or merge `id`, which must be one into or of it).
    public func mergeToSplit(member: Int64, id: Int64?) throws -> (id: Int64, survivor: Int64, absorbed: Int64) {
        let sql = id == nil
            ? """
            SELECT id, survivor, absorbed FROM merges WHERE undone_at IS NULL AND (absorbed = ?1 OR (survivor = ?1 AND NOT EXISTS \
            (SELECT 1 FROM members WHERE id = ?1 AND merged_into IS NOT NULL))) ORDER BY absorbed = ?1 DESC, id DESC LIMIT 1
            """
            : "SELECT id, survivor, absorbed FROM merges WHERE (survivor = ? OR absorbed = ?) AND id = ? AND undone_at IS NULL"
        let arguments: StatementArguments = id.map { [member, member, $0] } ?? [member]
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else {
            throw StoreError.database(
                reason: id.map { "merge \($0) is not a merge of member \(member) that can be undone" }
                    ?? "member \(member) has no merge to undo (tagd identity history lists them)")
        }
        return (row[0], row[1], row[2])
    }

    /// Undoes merge `mergeID`: every row that came from the absorbed member
    /// (or from members merged into it before) returns to it, the survivor's
    /// attributes are restored, both members' tags are restored as they were
    /// at the merge (history reason `split`) when it is the survivor's latest
    /// merge, and the merge is marked undone.
    ///
    /// Undoing an older merge restores the survivor's attributes from before
    /// it and combines the later merges' absorbed members in again, in their
    /// order, by `attributes` (the live rules' policy): the attributes the
    /// survivor would have had without that merge.
    @discardableResult
    public func split(mergeID: Int64, actor: String, attributes: IdentityPolicy.AttributePolicy = .survivor) throws -> SplitResult {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT survivor, absorbed, survivor_before, undone_at FROM merges WHERE id = ?", arguments: [mergeID])
        else { throw StoreError.database(reason: "no merge \(mergeID)") }
        let survivor: Int64 = row[0]
        let absorbed: Int64 = row[1]
        let before: String = row[2]
        if (row[3] as Int64?) != nil { throw StoreError.database(reason: "merge \(mergeID) was already undone") }
        if let later = try Int64.fetchOne(db, sql: "SELECT merged_into FROM members WHERE id = ?", arguments: [survivor]) {
            throw StoreError.database(
                reason: "member \(survivor) was itself merged into member \(later) afterwards; split that merge first")
        }
        // The absorbed member and everyone merged into it before.
        let closure = """
            WITH RECURSIVE c(id) AS (SELECT \(absorbed) UNION SELECT m.id FROM members m JOIN c ON m.merged_into = c.id WHERE m.id <> \(survivor)) \
            SELECT id FROM c
            """
        var rows = 0
        for table in ["orders", "events", "identities"] {
            try db.execute(
                sql: "UPDATE \(table) SET member_id = ? WHERE member_id = ? AND origin_id IN (\(closure))",
                arguments: [absorbed, survivor])
            rows += db.changesCount
            try db.execute(
                sql: "UPDATE \(table) SET origin_id = NULL WHERE member_id = ? AND origin_id = ?", arguments: [absorbed, absorbed])
        }
        let latest = try Int64.fetchOne(
            db, sql: "SELECT max(id) FROM merges WHERE survivor = ? AND undone_at IS NULL", arguments: [survivor]) == mergeID
        let sets = Self.attributeColumns.map { "\($0) = json_extract(?1, '$.\($0)')" }.joined(separator: ", ")
        try db.execute(sql: "UPDATE members SET \(sets) WHERE id = ?2", arguments: [before, survivor])
        if !latest {
            let later = try Int64.fetchAll(
                db, sql: "SELECT absorbed FROM merges WHERE survivor = ? AND id > ? AND undone_at IS NULL ORDER BY id",
                arguments: [survivor, mergeID])
            for member in later { try combineAttributes(survivor: survivor, absorbed: member, policy: attributes) }
        }
        try db.execute(sql: "UPDATE members SET merged_into = NULL WHERE id = ?", arguments: [absorbed])
        try keepingSnapshotsCurrent(survivor, absorbed) {
            try restoreTags(mergeID: mergeID, survivor: survivor, absorbed: absorbed, survivorToo: latest)
        }
        try db.execute(sql: "UPDATE merges SET undone_at = ?, undone_by = ? WHERE id = ?", arguments: [now, actor, mergeID])
        return SplitResult(mergeID: mergeID, survivor: survivor, absorbed: absorbed, rows: rows)
    }

    private func restoreTags(mergeID: Int64, survivor: Int64, absorbed: Int64, survivorToo: Bool) throws {
        let members = survivorToo ? [survivor, absorbed] : [absorbed]
        var current: [[Int64]: String] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT member_id, tag_id, value FROM member_tags WHERE member_id IN (\(members.map(String.init).joined(separator: ",")))")
        {
            current[[row[0], row[1]]] = row[2]
        }
        if !survivorToo {
            // Only the segment memberships carried over by this merge leave the survivor.
            for row in try Row.fetchAll(
                db, sql: "SELECT tag_id, value FROM member_tags WHERE member_id = ? AND tag_id IN (SELECT tag_id FROM merge_tags WHERE merge_id = ? AND moved = 1)",
                arguments: [survivor, mergeID])
            {
                try history(tag: row[0], member: survivor, old: row[1], new: nil)
                try db.execute(sql: "DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", arguments: [survivor, row[0] as Int64])
            }
        }
        var restored: [[Int64]: String] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT member_id, tag_id, value FROM merge_tags WHERE merge_id = ? AND member_id IN (\(members.map(String.init).joined(separator: ",")))",
            arguments: [mergeID])
        {
            restored[[row[0], row[1]]] = row[2]
        }
        for key in Set(current.keys).union(restored.keys) where current[key] != restored[key] {
            try history(tag: key[1], member: key[0], old: current[key], new: restored[key])
        }
        try db.execute(sql: "DELETE FROM member_tags WHERE member_id IN (\(members.map(String.init).joined(separator: ",")))")
        try db.execute(
            sql: """
                INSERT INTO member_tags(tag_id, member_id, value, since, run_id)
                SELECT tag_id, member_id, value, since, run_id FROM merge_tags WHERE merge_id = ? AND member_id IN (\(members.map(String.init).joined(separator: ",")))
                """,
            arguments: [mergeID])
    }

    private func history(tag: Int64, member: Int64, old: String?, new: String?) throws {
        let change = old == nil ? "gained" : new == nil ? "lost" : "changed"
        try db.execute(
            sql: "INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at, reason) VALUES (NULL, ?, ?, ?, ?, ?, ?, 'split')",
            arguments: [tag, member, change, old, new, now])
    }
}
