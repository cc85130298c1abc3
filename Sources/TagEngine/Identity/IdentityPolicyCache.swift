import Foundation
import GRDB
import LuaHost
import MemberStore

/// The live identity policy for a long-running process (the server): the
/// approved version's hash is checked on each call (one indexed read) and
/// the file parsed again only when it changed.
public final class IdentityPolicyCache: @unchecked Sendable {
    private let pool: DatabasePool
    private let limits: LuaLimits
    private let lock = NSLock()
    private var cached: (hash: String?, policy: IdentityPolicy?) = (nil, nil)

    /// A cache over `pool`.
    public init(pool: DatabasePool, limits: LuaLimits = .default) {
        self.pool = pool
        self.limits = limits
    }

    /// The live policy, or `nil` when no identity rules are approved.
    public func current() throws -> IdentityPolicy? {
        let hash = try pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT v.hash FROM tags t JOIN tag_versions v ON v.id = t.live_version_id WHERE t.kind = ? AND t.state = 'active'",
                arguments: [IdentityRules.name])
        }
        if let known = lock.withLock({ cached.hash == hash ? cached : nil }) { return known.policy }
        let policy = try IdentityRules.live(in: pool, limits: limits)
        lock.withLock { cached = (hash, policy) }
        return policy
    }
}
