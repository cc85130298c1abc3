import Foundation
import GRDB
import LuaHost
import MemberStore

/// Merges and splits by hand (`tagd identity merge|split|reject|history|candidates`):
/// each is one transaction, authorised and audited, and followed by an
/// incremental run of every active tag and segment, so the members' tags
/// are re-evaluated through the change tracking.
public struct IdentityMerges: Sendable {
    /// The runner of the runs after a merge or split (its store, caps and plugins).
    public let runner: TagRunner
    /// The store.
    public var pool: DatabasePool { runner.pool }

    /// Creates the desk over `pool`.
    public init(pool: DatabasePool, limits: LuaLimits = .default, pluginsDirectory: URL? = nil) {
        self.runner = TagRunner(pool: pool, limits: limits, pluginsDirectory: pluginsDirectory)
    }

    /// What a merge or split did, with the runs that followed.
    public struct Outcome: Sendable {
        /// The merge made or undone.
        public var mergeID: Int64
        /// The surviving (or remaining) member's external id.
        public var survivor: String
        /// The absorbed (or restored) member's external id.
        public var absorbed: String
        /// The incremental runs after it.
        public var runs: [RunReport]
    }

    /// Merges the members `a` and `b` (external ids, either may be an alias); the survivor by `policy`'s rule (default: earliest registration).
    public func merge(_ a: String, _ b: String, actor: String, at now: Date = Date()) throws -> Outcome {
        let policy = try IdentityRules.live(in: pool, limits: runner.limits)
        let outcome = try Governance.write(pool) { db -> (Int64, String, String) in
            try Users.authorize(actor, needs: .approver, action: "identity_merge", tag: nil, in: db)
            let merger = IdentityMerger(db: db, now: Int64(now.timeIntervalSince1970))
            let first = try merger.live(try Self.member(a, in: db))
            let second = try merger.live(try Self.member(b, in: db))
            guard first != second else { throw LifecycleError("\(a) and \(b) are already one member", kind: .invalid) }
            let (survivor, absorbed) = try merger.survivor(of: first, second, rule: policy?.survivor ?? .earliestRegistration)
            let id = try merger.merge(
                survivor: survivor, absorbed: absorbed, reason: "by hand", actor: actor, ruleVersion: policy?.version,
                attributes: policy?.attributes ?? .survivor)
            try db.execute(
                sql: "UPDATE identity_candidates SET status = 'merged', decided_by = ?, decided_at = ? WHERE member_a = ? AND member_b = ?",
                arguments: [actor, Int64(now.timeIntervalSince1970), min(first, second), max(first, second)])
            let names = try Self.names([survivor, absorbed], in: db)
            try AuditLog.append(db, actor: actor, action: "identity_merge", detail: "merge \(id): \(names[1]) into \(names[0])")
            return (id, names[0], names[1])
        }
        return Outcome(mergeID: outcome.0, survivor: outcome.1, absorbed: outcome.2, runs: try reevaluate(at: now))
    }

    /// Undoes merge `mergeID` of `member` (default: the newest merge into it).
    public func split(_ member: String, mergeID: Int64? = nil, actor: String, at now: Date = Date()) throws -> Outcome {
        let policy = try IdentityRules.live(in: pool, limits: runner.limits)
        let outcome = try Governance.write(pool) { db -> (Int64, String, String) in
            try Users.authorize(actor, needs: .approver, action: "identity_split", tag: nil, in: db)
            let merger = IdentityMerger(db: db, now: Int64(now.timeIntervalSince1970))
            let merge = try merger.mergeToSplit(member: try Self.member(member, in: db), id: mergeID)
            let result = try merger.split(mergeID: merge.id, actor: actor, attributes: policy?.attributes ?? .survivor)
            let names = try Self.names([result.survivor, result.absorbed], in: db)
            try AuditLog.append(
                db, actor: actor, action: "identity_split",
                detail: "merge \(merge.id) undone: \(names[1]) split from \(names[0]), \(result.rows) rows moved back")
            return (merge.id, names[0], names[1])
        }
        return Outcome(mergeID: outcome.0, survivor: outcome.1, absorbed: outcome.2, runs: try reevaluate(at: now))
    }

    /// Rejects the open candidate pair of `a` and `b`: it is not offered again.
    public func reject(_ a: String, _ b: String, actor: String, reason: String) throws {
        try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .approver, action: "identity_reject", tag: nil, in: db)
            let merger = IdentityMerger(db: db)
            let first = try merger.live(try Self.member(a, in: db))
            let second = try merger.live(try Self.member(b, in: db))
            try db.execute(
                sql: "UPDATE identity_candidates SET status = 'rejected', decided_by = ?, decided_at = ? WHERE member_a = ? AND member_b = ? AND status = 'open'",
                arguments: [actor, Int64(Date().timeIntervalSince1970), min(first, second), max(first, second)])
            guard db.changesCount > 0 else { throw LifecycleError("\(a) and \(b) are not an open merge candidate", kind: .notFound) }
            try AuditLog.append(db, actor: actor, action: "identity_reject", reason: reason, detail: "\(a) / \(b)")
        }
    }

    /// Open candidate pairs (or every pair with `all`), newest first.
    public func candidates(all: Bool = false, limit: Int = 100) throws -> [MergeCandidate] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, a.external_id, b.external_id, c.channel, c.reason, c.at, c.status FROM identity_candidates c
                    JOIN members a ON a.id = c.member_a JOIN members b ON b.id = c.member_b
                    \(all ? "" : "WHERE c.status = 'open'") ORDER BY c.id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map { MergeCandidate(id: $0[0], memberA: $0[1], memberB: $0[2], channel: $0[3], reason: $0[4], at: $0[5], status: $0[6]) }
        }
    }

    /// Every merge the member took part in (as survivor or absorbed, its own and its fragments'), oldest first.
    public func history(_ member: String) throws -> [MergeRecord] {
        try pool.read { db in
            let id = try Self.member(member, in: db)
            let live = try IdentityMerger(db: db).live(id)
            return try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE c(id) AS (SELECT ? UNION SELECT ? UNION SELECT m.absorbed FROM merges m JOIN c ON m.survivor = c.id)
                    SELECT g.id, s.external_id, a.external_id, g.reason, g.rule_version, g.actor, g.at, g.undone_at, g.undone_by
                    FROM merges g JOIN members s ON s.id = g.survivor JOIN members a ON a.id = g.absorbed
                    WHERE g.survivor IN (SELECT id FROM c) OR g.absorbed IN (SELECT id FROM c) ORDER BY g.id
                    """,
                arguments: [id, live]
            ).map {
                MergeRecord(
                    id: $0[0], survivor: $0[1], absorbed: $0[2], reason: $0[3], ruleVersion: $0[4], actor: $0[5], at: $0[6],
                    undoneAt: $0[7], undoneBy: $0[8])
            }
        }
    }

    /// Runs every active tag and segment incrementally (the merge's members are in the change log).
    public func reevaluate(at now: Date = Date()) throws -> [RunReport] {
        let live = try TagRegistry(pool: pool).liveVersions()
        guard !live.isEmpty else { return [] }
        return try runner.run(live, asOf: now, trigger: "merge")
    }

    /// The store id of the member with external id `externalID` (an absorbed one too).
    static func member(_ externalID: String, in db: Database) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM members WHERE external_id = ?", arguments: [MemberID.normalize(externalID)])
        else { throw LifecycleError("no member \"\(externalID)\"", kind: .notFound) }
        return id
    }

    static func names(_ ids: [Int64], in db: Database) throws -> [String] {
        try ids.map { try String.fetchOne(db, sql: "SELECT external_id FROM members WHERE id = ?", arguments: [$0]) ?? "\($0)" }
    }
}

extension IdentityMerges {
    /// Applies `policy` to the stored members (the merges of ``IdentityPlan``) in one transaction, audited; returns the merges made.
    public func resolve(_ policy: IdentityPolicy, actor: String) throws -> Int {
        try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .approver, action: "identity_resolve", tag: nil, in: db)
            let plan = try IdentityPlan.make(policy, in: db)
            let done = try plan.apply(policy, actor: actor, in: db)
            try AuditLog.append(
                db, actor: actor, action: "identity_resolve", versionHash: policy.version,
                detail: "\(done) merges, \(plan.candidates.count) candidates")
            return done
        }
    }
}
