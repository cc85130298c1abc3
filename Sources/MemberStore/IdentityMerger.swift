import Foundation
import GRDB

/// Merges two members into one and splits a merge again, inside the
/// caller's transaction, so either both members are as they were or the
/// merged one exists.
///
/// A merge moves every order, event and identity of the absorbed member to
/// the survivor (keeping each row's origin), combines attributes by the
/// policy, marks the absorbed member `merged_into` the survivor (its
/// external id keeps resolving), saves both members' live tags, removes the
/// absorbed member's tags with history reason `merged` and carries its
/// segment memberships the survivor lacks over to it (no message either
/// way: the person was announced once). A split undoes exactly that.
public struct IdentityMerger {
    /// The connection (inside a write transaction).
    public let db: Database
    /// Epoch seconds recorded with the merge.
    public let now: Int64

    /// A merger on `db`.
    public init(db: Database, now: Int64? = nil) {
        self.db = db
        self.now = now ?? Int64(Date().timeIntervalSince1970)
    }

    static let attributeColumns = ["channel", "registered_at", "gender", "region", "birthday", "level", "attrs", "updated_at"]

    /// The live member an id resolves to (following `merged_into`).
    public func live(_ id: Int64) throws -> Int64 {
        var current = id
        for _ in 0..<1_000 {
            guard let next = try Int64.fetchOne(db.cachedStatement(sql: "SELECT merged_into FROM members WHERE id = ?"), arguments: [current]) else {
                return current
            }
            current = next
        }
        throw StoreError.database(reason: "member \(id): merged_into forms a cycle")
    }

    /// Which of `a` and `b` survives under `rule`.
    public func survivor(of a: Int64, _ b: Int64, rule: IdentityPolicy.SurvivorRule) throws -> (survivor: Int64, absorbed: Int64) {
        let (low, high) = a < b ? (a, b) : (b, a)
        guard rule == .earliestRegistration else { return (low, high) }
        let registered = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(db.cachedStatement(sql: "SELECT id, registered_at FROM members WHERE id IN (?, ?)"), arguments: [a, b])
                .map { ($0[0] as Int64, $0[1] as Int64?) })
        let first = registered[low].flatMap { $0 } ?? Int64.max
        let second = registered[high].flatMap { $0 } ?? Int64.max
        return second < first ? (high, low) : (low, high)
    }

    /// Merges `absorbed` into `survivor`; returns the merge id.
    ///
    /// - Throws: ``StoreError`` when either is not a live member or they are the same.
    @discardableResult
    public func merge(
        survivor: Int64, absorbed: Int64, reason: String, actor: String, ruleVersion: String? = nil,
        attributes: IdentityPolicy.AttributePolicy = .survivor
    ) throws -> Int64 {
        try merge(survivor: survivor, absorbed: absorbed, reason: reason, actor: actor, ruleVersion: ruleVersion, attributes: attributes, rowsInStore: true)
    }

    /// ``merge(survivor:absorbed:reason:actor:ruleVersion:attributes:)``;
    /// `rowsInStore` `false`: the two members have no order, event,
    /// identity or live tag in the store (an import holds their identities
    /// and moves them itself), so there is nothing there to move.
    func merge(
        survivor: Int64, absorbed: Int64, reason: String, actor: String, ruleVersion: String?,
        attributes: IdentityPolicy.AttributePolicy, rowsInStore: Bool
    ) throws -> Int64 {
        guard survivor != absorbed else { throw StoreError.database(reason: "cannot merge member \(survivor) into itself") }
        let live = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM members WHERE id IN (?, ?) AND merged_into IS NULL"), arguments: [survivor, absorbed])
        guard live.count == 2 else {
            throw StoreError.database(reason: "members \(survivor) and \(absorbed) must both exist and not be merged already")
        }
        let before = try rowJSON(survivor)
        try db.cachedStatement(sql: "INSERT INTO merges(survivor, absorbed, reason, rule_version, actor, at, survivor_before) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(arguments: [survivor, absorbed, reason, ruleVersion, actor, now, before])
        let mergeID = db.lastInsertedRowID
        if rowsInStore {
            for table in ["orders", "events", "identities"] {
                try db.cachedStatement(sql: "UPDATE \(table) SET origin_id = coalesce(origin_id, member_id), member_id = ? WHERE member_id = ?").execute(arguments: [survivor, absorbed])
            }
        }
        try combineAttributes(survivor: survivor, absorbed: absorbed, policy: attributes)
        try db.cachedStatement(sql: "UPDATE members SET merged_into = ? WHERE id = ?").execute(arguments: [survivor, absorbed])
        // Members without live tags (such as two an import just created) have none to save or move.
        let tagged = try rowsInStore && Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM member_tags WHERE member_id IN (?, ?))"), arguments: [survivor, absorbed]) ?? true
        if tagged {
            try keepingSnapshotsCurrent(survivor, absorbed) { try moveTags(mergeID: mergeID, survivor: survivor, absorbed: absorbed) }
        }
        return mergeID
    }

    func combineAttributes(survivor: Int64, absorbed: Int64, policy: IdentityPolicy.AttributePolicy) throws {
        // `w` wins, `o` fills its gaps.
        var absorbedWins = false
        if policy == .newest {
            absorbedWins = try Bool.fetchOne(db.cachedStatement(sql: "SELECT (SELECT updated_at FROM members WHERE id = ?) > (SELECT updated_at FROM members WHERE id = ?)"),
                arguments: [absorbed, survivor]) ?? false
        }
        let (w, o) = absorbedWins ? ("a", "s") : ("s", "a")
        let fields = ["channel", "registered_at", "gender", "region", "birthday", "level"].map { "\($0) = coalesce(\(w).\($0), \(o).\($0))" }
        try db.cachedStatement(sql: """
                UPDATE members AS s SET \(fields.joined(separator: ", ")), attrs = json_patch(\(o).attrs, \(w).attrs), \
                updated_at = max(s.updated_at, a.updated_at) FROM members AS a WHERE s.id = ? AND a.id = ?
                """).execute(arguments: [survivor, absorbed])
    }

    private func moveTags(mergeID: Int64, survivor: Int64, absorbed: Int64) throws {
        try db.cachedStatement(sql: """
                INSERT INTO merge_tags(merge_id, member_id, tag_id, value, since, run_id, moved)
                SELECT ?, member_id, tag_id, value, since, run_id, 0 FROM member_tags WHERE member_id IN (?, ?)
                """).execute(arguments: [mergeID, survivor, absorbed])
        // Segments the absorbed member was in and the survivor was not: the person is already in (announced once).
        try db.cachedStatement(sql: """
                UPDATE merge_tags SET moved = 1 WHERE merge_id = ? AND member_id = ? AND tag_id IN (SELECT id FROM tags WHERE kind = 'segment')
                AND tag_id NOT IN (SELECT tag_id FROM member_tags WHERE member_id = ?)
                """).execute(arguments: [mergeID, absorbed, survivor])
        try db.cachedStatement(sql: """
                INSERT INTO member_tags(tag_id, member_id, value, since, run_id)
                SELECT tag_id, ?, value, since, run_id FROM merge_tags WHERE merge_id = ? AND moved = 1
                """).execute(arguments: [survivor, mergeID])
        try db.cachedStatement(sql: """
                INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at, reason)
                SELECT NULL, tag_id, ?, 'gained', NULL, value, ?, 'merged' FROM merge_tags WHERE merge_id = ? AND moved = 1
                """).execute(arguments: [survivor, now, mergeID])
        try db.cachedStatement(sql: """
                INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at, reason)
                SELECT NULL, tag_id, member_id, 'lost', value, NULL, ?, 'merged' FROM member_tags WHERE member_id = ?
                """).execute(arguments: [now, absorbed])
        try db.cachedStatement(sql: "DELETE FROM member_tags WHERE member_id = ?").execute(arguments: [absorbed])
    }

    /// Runs `body`, which changes the two members' live tags outside a run,
    /// and moves each tag's snapshot count by as much, so the next run stays
    /// incremental (the members are in the change log and are re-evaluated).
    func keepingSnapshotsCurrent(_ a: Int64, _ b: Int64, _ body: () throws -> Void) throws {
        let sql = "SELECT tag_id, count(*) FROM member_tags WHERE member_id IN (?, ?) GROUP BY tag_id"
        let before = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db.cachedStatement(sql: sql), arguments: [a, b]).map { ($0[0] as Int64, $0[1] as Int) })
        try body()
        let after = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db.cachedStatement(sql: sql), arguments: [a, b]).map { ($0[0] as Int64, $0[1] as Int) })
        for tag in Set(before.keys).union(after.keys) {
            let delta = (after[tag] ?? 0) - (before[tag] ?? 0)
            guard delta != 0 else { continue }
            try db.cachedStatement(sql: "UPDATE feature_snapshots SET stats = CAST(CAST(stats AS INTEGER) + ? AS TEXT) WHERE tag_id = ?").execute(arguments: [delta, tag])
        }
    }

    /// The member's attribute columns as a JSON object (restored by a split).
    private func rowJSON(_ id: Int64) throws -> String {
        let pairs = Self.attributeColumns.map { "'\($0)', \($0)" }.joined(separator: ", ")
        return try String.fetchOne(db.cachedStatement(sql: "SELECT json_object(\(pairs)) FROM members WHERE id = ?"), arguments: [id]) ?? "{}"
    }
}
