import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

@Suite("ONE-ID: identity resolution, merge and split")
struct IdentityTests {
    static let rules = """
        return identity {
          keys = { "wechat_unionid", "phone", "email" },
          normalize = { phone = "phone +86", email = "email" },
          limits = { phone = 1, wechat_unionid = 1 },
          blocked = { phone = { "13800000000" }, email = { "test@example.com" } },
          on_conflict = "candidate",
          survivor = "earliest_registration",
          attributes = "survivor",
        }
        """

    static func policy(_ source: String = rules) throws -> IdentityPolicy { try IdentityRules.parse(source: source) }

    /// Writes `records` with identity resolution under `policy`; returns the writer's counts and conflicts.
    @discardableResult
    static func ingest(_ store: TestStore, _ records: [IngestRecord], policy: IdentityPolicy? = nil) throws -> (IngestCounts, [IdentityConflict]) {
        let policy = try policy ?? Self.policy()
        return try store.pool.write { db in
            let writer = try IngestWriter(db: db)
            writer.policy = policy
            for record in records { try writer.write(record) }
            return (writer.counts, writer.conflicts)
        }
    }

    static func member(_ id: String, _ identities: [String: String], registered: Int64? = nil, region: String? = nil) -> IngestRecord {
        .member(MemberInput(externalID: id, registeredAt: registered, region: region, identities: identities))
    }

    static func owners(_ store: TestStore) throws -> [String: String] {
        try store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT i.channel || ':' || i.external_id, m.external_id FROM identities i JOIN members m ON m.id = i.member_id
                """).map { ($0[0] as String, $0[1] as String) })
        }
    }

    static func liveMembers(_ store: TestStore) throws -> [String] {
        try store.pool.read { db in try String.fetchAll(db, sql: "SELECT external_id FROM members WHERE merged_into IS NULL ORDER BY external_id") }
    }

    @Test func valuesAreNormalisedPerChannel() throws {
        let policy = try Self.policy()
        #expect(policy.normalize("+86 138 0013 8000", channel: "phone") == "+8613800138000")
        #expect(policy.normalize("138-0013-8000", channel: "phone") == "+8613800138000")
        #expect(policy.normalize("0086 13800138000", channel: "phone") == "+8613800138000")
        #expect(policy.normalize("  Li.Wei@Example.COM ", channel: "email") == "li.wei@example.com")
        #expect(policy.normalize(" o6_Ab ", channel: "wechat_unionid") == " o6_Ab ")
        #expect(policy.isBlocked(policy.normalize("138 0000 0000", channel: "phone"), channel: "phone"))
        let store = try TestStore()
        try Self.ingest(store, [
            .order(OrderInput(member: "", ts: TestStore.ago(3), amount: 10, identities: ["phone": "+86 138 0013 8000"])),
            .order(OrderInput(member: "", ts: TestStore.ago(2), amount: 20, identities: ["phone": "13800138000"])),
            .event(EventInput(member: "", ts: TestStore.ago(1), type: "cart", identities: ["phone": "0086-138-0013-8000"])),
        ])
        #expect(try Self.liveMembers(store) == ["phone:+8613800138000"])
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT member_id) FROM orders") } == 1)
    }

    @Test func aLinkWithoutConflictMergesIntoTheEarliestRegistration() throws {
        let store = try TestStore()
        try Self.ingest(store, [
            Self.member("crm-late", ["phone": "13800138001"], registered: TestStore.ago(10), region: "north"),
            Self.member("crm-early", ["email": "a@x.cn"], registered: TestStore.ago(500)),
        ])
        let (counts, conflicts) = try Self.ingest(store, [
            .order(OrderInput(member: "", ts: TestStore.ago(1), amount: 5, identities: ["phone": "138 0013 8001", "email": "A@X.cn"]))
        ])
        #expect(counts.merges == 1)
        #expect(conflicts.isEmpty)
        #expect(try Self.liveMembers(store) == ["crm-early"])
        // The absorbed id keeps resolving, and says into whom.
        let old = try #require(try store.store.member(externalID: "crm-late"))
        #expect(old.mergedInto == "crm-early")
        // Attributes: the survivor's win, its gaps filled from the absorbed member.
        #expect(try store.store.member(externalID: "crm-early")?.region == "north")
        #expect(try Self.owners(store) == ["phone:+8613800138001": "crm-early", "email:a@x.cn": "crm-early"])
        // Ingest by the old id reaches the survivor, remembering where it came from.
        _ = try store.store.ingest(orders: [OrderInput(member: "crm-late", ts: TestStore.ago(1), amount: 7, key: "late-1")])
        let row = try #require(try store.pool.read { db in try Row.fetchOne(db, sql: "SELECT member_id, origin_id FROM orders WHERE order_key = 'late-1'") })
        #expect(row[0] as Int64 == (try store.store.member(externalID: "crm-early")?.id))
        #expect(row[1] as Int64? == old.id)
    }

    @Test func theHighestPriorityKeyDecidesAndAConflictIsHeldAsACandidate() throws {
        let store = try TestStore()
        try Self.ingest(store, [
            Self.member("x", ["wechat_unionid": "u-x", "phone": "13800138011"], registered: TestStore.ago(100)),
            Self.member("y", ["phone": "13800138022", "email": "y@x.cn"], registered: TestStore.ago(200)),
        ])
        // Linked by unionid (priority 1) to x and by e-mail to y; both hold a different phone (limit 1).
        let (counts, conflicts) = try Self.ingest(store, [
            .event(EventInput(member: "", ts: TestStore.ago(1), type: "cart", key: "e1", identities: ["email": "y@x.cn", "wechat_unionid": "u-x"]))
        ])
        #expect(counts.merges == 0)
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.member == "x")
        #expect(conflicts.first?.other == "y")
        #expect(conflicts.first?.channel == "phone")
        let owner = try store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT m.external_id FROM events e JOIN members m ON m.id = e.member_id WHERE event_key = 'e1'")
        }
        #expect(owner == "x")
        let candidates = try IdentityMerges(pool: store.pool).candidates()
        #expect(candidates.map { [$0.memberA, $0.memberB] } == [["x", "y"]])
        // With on_conflict = "merge" the same record merges them.
        let merging = try Self.policy(Self.rules.replacingOccurrences(of: "\"candidate\"", with: "\"merge\""))
        let (again, _) = try Self.ingest(store, [
            .event(EventInput(member: "", ts: TestStore.ago(1), type: "cart", identities: ["email": "y@x.cn", "wechat_unionid": "u-x"]))
        ], policy: merging)
        #expect(again.merges == 1)
        #expect(try Self.liveMembers(store) == ["y"])
    }

    @Test func aLimitKeepsASecondPhoneOffAMember() throws {
        let store = try TestStore()
        try Self.ingest(store, [Self.member("x", ["phone": "13800138011", "email": "x@x.cn"])])
        let (counts, conflicts) = try Self.ingest(store, [Self.member("", ["email": "x@x.cn", "phone": "13800138099"])])
        #expect(counts.conflicts == 1)
        #expect(conflicts.first?.reason.contains("limit 1") == true)
        #expect(try Self.owners(store).keys.sorted() == ["email:x@x.cn", "phone:+8613800138011"])
        #expect(try Self.liveMembers(store) == ["x"])
    }

    @Test func blockedPlaceholdersNeverMerge() throws {
        let store = try TestStore()
        let (counts, _) = try Self.ingest(store, [
            Self.member("", ["phone": "13800000000", "email": "p@x.cn"]),
            Self.member("", ["phone": "138-0000-0000", "email": "q@x.cn"]),
            Self.member("", ["phone": "+86 13800000000", "email": "TEST@example.com", "wechat_unionid": "u-1"]),
        ])
        #expect(counts.blockedIdentities == 4)
        #expect(counts.merges == 0)
        #expect(try Self.liveMembers(store).count == 3)
        // A record whose every identity is blocked names nobody: a field error, nothing stored.
        #expect(throws: FieldError.self) { try Self.ingest(store, [Self.member("", ["phone": "13800000000"])]) }
    }

    @Test func hostileValuesAreDataStoredAndMatchedAsGiven() throws {
        let store = try TestStore()
        let quote = "o'; DROP TABLE members; --\"'"
        let unicode = "微信_ünïcødé_😀"
        let long = String(repeating: "é", count: 256)  // 512 bytes
        try Self.ingest(store, [Self.member("", ["wechat_unionid": quote]), Self.member("", ["wechat_unionid": unicode]), Self.member("", ["wechat_unionid": long])])
        try Self.ingest(store, [
            .order(OrderInput(member: "", ts: TestStore.ago(1), amount: 1, identities: ["wechat_unionid": quote])),
            .order(OrderInput(member: "", ts: TestStore.ago(1), amount: 2, identities: ["wechat_unionid": unicode])),
            .order(OrderInput(member: "", ts: TestStore.ago(1), amount: 3, identities: ["wechat_unionid": long])),
        ])
        #expect(try Self.liveMembers(store).count == 3)
        let owners = try Self.owners(store)
        #expect(owners["wechat_unionid:" + quote] != nil)
        #expect(owners["wechat_unionid:" + unicode] != nil)
        #expect(owners["wechat_unionid:" + long] != nil)
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT member_id) FROM orders") } == 3)
        #expect(throws: FieldError.self) { try Self.ingest(store, [Self.member("", ["wechat_unionid": long + "x"])]) }
    }

    @Test func theRulesFileIsCheckedAtItsLine() throws {
        #expect(throws: RuleError.self) { try IdentityRules.parse(source: "return identity { keys = {} }") }
        #expect(throws: RuleError.self) { try IdentityRules.parse(source: "return identity { keys = { 'phone' }, limits = { phone = 0 } }") }
        #expect(throws: RuleError.self) { try IdentityRules.parse(source: "return identity { keys = { 'phone' }, normalize = { phone = 'phone' } }") }
        do {
            _ = try IdentityRules.parse(source: "\n\nreturn identity { keys = { 'phone' }, colour = 1 }")
            Issue.record("an unknown field loads")
        } catch {
            #expect(error.description.hasPrefix("identity.lua:3: identity: unknown field 'colour'"))
        }
    }

    @Test func theRulesFollowTheLifecycle() throws {
        let store = try TestStore()
        try store.write("identity.lua", Self.rules)
        #expect(try IdentityRules.live(in: store.pool) == nil)
        try store.approve("identity")
        let live = try #require(try IdentityRules.live(in: store.pool))
        #expect(live.keys == ["wechat_unionid", "phone", "email"])
        #expect(live.version?.count == 64)
        // It never runs as a tag.
        #expect(try store.registry.liveVersions().isEmpty)
        let audit = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE tag = 'identity'") }
        #expect(audit == ["propose", "approve"])
    }

    @Test func thePlanPreviewsWhatResolveThenApplies() throws {
        let store = try TestStore()
        // Stored before any rules: one phone typed two ways, a placeholder shared by two strangers.
        _ = try store.store.ingest(members: [
            MemberInput(externalID: "p1", identities: ["phone": "13800138001"]),
            MemberInput(externalID: "p2", identities: ["phone": "+86 138 0013 8001"]),
            MemberInput(externalID: "q1", identities: ["phone": "13800000000"]),
            MemberInput(externalID: "q2", identities: ["phone": "138-0000-0000"]),
        ])
        let plan = try store.pool.read { db in try IdentityPlan.make(try Self.policy(), in: db) }
        #expect(plan.merges == 1)
        #expect(plan.clusters.map(\.sample) == [["p1", "p2"]])
        #expect(plan.blocked == 2)
        #expect(try Self.liveMembers(store).count == 4)  // a plan writes nothing
        try store.write("identity.lua", Self.rules)
        try store.approve("identity")
        let done = try IdentityMerges(pool: store.pool).resolve(try #require(try IdentityRules.live(in: store.pool)), actor: "bob")
        #expect(done == 1)
        #expect(try Self.liveMembers(store) == ["p1", "q1", "q2"])
    }
}
