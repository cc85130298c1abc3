import Foundation
import GRDB
import MemberStore

/// What a set of identity rules would do to the stored members: the
/// clusters of members they link (union-find over the merge keys, in
/// priority order, within the limits), the pairs they would hold as
/// candidates, and the largest clusters. ``IdentityPlan/apply(actor:in:)``
/// performs the merges (`tagd identity resolve`).
public struct IdentityPlan: Sendable {
    /// One cluster of members that would become one.
    public struct Cluster: Sendable, Codable {
        /// The survivor's external id.
        public var survivor: String
        /// Every member's store id, survivor first.
        public var members: [Int64]
        /// A few of the external ids.
        public var sample: [String]
    }

    /// Live members considered.
    public var members = 0
    /// Members that would be absorbed (the number of merges).
    public var merges = 0
    /// Clusters of two or more members, largest first.
    public var clusters: [Cluster] = []
    /// Pairs held as candidates (a limit would break), as store ids.
    public var candidates: [(Int64, Int64, String)] = []
    /// Identity values ignored as blocked.
    public var blocked = 0

    /// The plan of `policy` over the store.
    public static func make(_ policy: IdentityPolicy, in db: Database) throws -> IdentityPlan {
        var plan = IdentityPlan()
        plan.members = try Int.fetchOne(db, sql: "SELECT count(*) FROM members WHERE merged_into IS NULL") ?? 0
        var forest = Forest()
        for channel in policy.keys {
            var groups: [String: [Int64]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT external_id, member_id FROM identities WHERE channel = ?", arguments: [channel])
            while let row = try rows.next() {
                let value = policy.normalize(row[0], channel: channel)
                if policy.isBlocked(value, channel: channel) {
                    plan.blocked += 1
                    continue
                }
                let member: Int64 = row[1]
                forest.hold(member, channel: channel, value: value, limited: policy.limits[channel] != nil)
                groups[value, default: []].append(member)
            }
            for (_, members) in groups where members.count > 1 {
                for other in members.dropFirst() {
                    if let broken = forest.union(members[0], other, limits: policy.limits, force: policy.onConflict == .merge) {
                        plan.candidates.append((min(members[0], other), max(members[0], other), broken))
                    }
                }
            }
        }
        var byRoot: [Int64: [Int64]] = [:]
        for member in forest.parent.keys { byRoot[forest.find(member), default: []].append(member) }
        let clusters = byRoot.values.filter { $0.count > 1 }.sorted { $0.count > $1.count }
        plan.merges = clusters.reduce(0) { $0 + $1.count - 1 }
        let merger = IdentityMerger(db: db)
        for members in clusters {
            var survivor = members[0]
            for other in members.dropFirst() { survivor = try merger.survivor(of: survivor, other, rule: policy.survivor).survivor }
            let ordered = [survivor] + members.filter { $0 != survivor }.sorted()
            let names = try ordered.prefix(4).map { try String.fetchOne(db, sql: "SELECT external_id FROM members WHERE id = ?", arguments: [$0]) ?? "\($0)" }
            plan.clusters.append(Cluster(survivor: names[0], members: ordered, sample: names))
        }
        return plan
    }

    /// Merges every cluster into its survivor and records the candidates, in the caller's transaction.
    public func apply(_ policy: IdentityPolicy, actor: String, in db: Database) throws -> Int {
        let merger = IdentityMerger(db: db)
        var done = 0
        for cluster in clusters {
            guard let survivor = cluster.members.first else { continue }
            for absorbed in cluster.members.dropFirst() {
                try merger.merge(
                    survivor: survivor, absorbed: absorbed, reason: "identity rules", actor: actor, ruleVersion: policy.version,
                    attributes: policy.attributes)
                done += 1
            }
        }
        for (a, b, channel) in candidates {
            try db.execute(
                sql: """
                    INSERT INTO identity_candidates(member_a, member_b, channel, reason, at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(member_a, member_b) DO NOTHING
                    """,
                arguments: [a, b, channel, "both members hold a different \(channel); held as a merge candidate", Int64(Date().timeIntervalSince1970)])
        }
        return done
    }
}

/// Union-find over members, keeping each cluster's values of limited channels.
struct Forest {
    var parent: [Int64: Int64] = [:]
    var values: [Int64: [String: Set<String>]] = [:]

    mutating func find(_ x: Int64) -> Int64 {
        var root = parent[x] ?? x
        while let next = parent[root], next != root { root = next }
        var walk = x
        while let next = parent[walk], next != root {
            parent[walk] = root
            walk = next
        }
        return root
    }

    mutating func hold(_ member: Int64, channel: String, value: String, limited: Bool) {
        if parent[member] == nil { parent[member] = member }
        guard limited else { return }
        values[find(member), default: [:]][channel, default: []].insert(value)
    }

    /// Joins the clusters of `a` and `b` unless a limit would break; returns the channel that would.
    mutating func union(_ a: Int64, _ b: Int64, limits: [String: Int], force: Bool) -> String? {
        let (ra, rb) = (find(a), find(b))
        guard ra != rb else { return nil }
        let va = values[ra] ?? [:]
        let vb = values[rb] ?? [:]
        if !force {
            for (channel, limit) in limits.sorted(by: { $0.key < $1.key }) {
                if va[channel, default: []].union(vb[channel, default: []]).count > limit { return channel }
            }
        }
        parent[rb] = ra
        values[ra] = va.merging(vb) { $0.union($1) }
        values[rb] = nil
        return nil
    }
}
