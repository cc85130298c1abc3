import Foundation
import GRDB
import LuaHost
import MemberStore

extension IdentityPlan {
    /// How one tag or segment would change if the plan were applied.
    public struct TagImpact: Sendable, Codable {
        /// The tag or segment.
        public var tag: String
        /// Members holding a value now.
        public var before: Int
        /// Members holding a value after the merges and an incremental run.
        public var after: Int
        /// Members gaining, losing or changing a value in that run (besides the absorbed members' values removed).
        public var gained: Int
        public var lost: Int
        public var changed: Int
    }

    /// Applies the plan to a copy of the store (`VACUUM INTO` a temporary
    /// file), runs every active tag and segment there incrementally at
    /// `asOf` (default: the newest run's as-of, so only the merges move
    /// values), and compares; the store itself is not touched.
    public static func impact(
        of policy: IdentityPolicy, pool: DatabasePool, asOf: Date? = nil, limits: LuaLimits = .default, pluginsDirectory: URL? = nil
    ) throws -> [TagImpact] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-identity-plan-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        let before = try coverage(pool)
        let lastAsOf = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(as_of) FROM runs WHERE status = 'succeeded'") }
        let at = asOf ?? lastAsOf.map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? Date()
        let copy = try MemberStore(path: path)
        try copy.pool.write { db in
            let plan = try IdentityPlan.make(policy, in: db)
            _ = try plan.apply(policy, actor: "plan", in: db)
        }
        let live = try TagRegistry(pool: copy.pool).liveVersions()
        let reports = try TagRunner(pool: copy.pool, limits: limits, pluginsDirectory: pluginsDirectory).run(live, asOf: at, trigger: "plan")
        let after = try coverage(copy.pool)
        try copy.close()
        return reports.map { r in
            TagImpact(tag: r.tag, before: before[r.tag] ?? 0, after: after[r.tag] ?? 0, gained: r.gained, lost: r.lost, changed: r.changed)
        }
    }

    private static func coverage(_ pool: DatabasePool) throws -> [String: Int] {
        try pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(
                db, sql: "SELECT t.name, count(mt.member_id) FROM tags t LEFT JOIN member_tags mt ON mt.tag_id = t.id GROUP BY t.id"
            ).map { ($0[0] as String, $0[1] as Int) })
        }
    }
}
