import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

@Suite("ONE-ID: merges, splits and reach")
struct IdentityMergeTests {
    static let spend = """
        return tag "spend" { title = "Spend", category = "t/s", owner = "crm", kind = "score", refresh = "hourly",
          features = { spend = sum("orders.amount"), carts = count("events", { where = { type = "cart" } }) },
          evaluate = function(m) if m.spend > 0 then return m.spend end end }
        """

    /// a and b are one person (both south spenders); c is someone else.
    func store() throws -> (TestStore, SegmentTests) {
        let segments = SegmentTests()
        let store = try segments.store()
        try store.write("spend.lua", Self.spend)
        _ = try store.store.ingest([
            .member(MemberInput(externalID: "b", registeredAt: TestStore.ago(900), region: "south", identities: ["phone": "+8613800138001"])),
            .member(MemberInput(externalID: "c", region: "south")),
            .order(OrderInput(member: "b", ts: TestStore.ago(3), amount: 12, category: "pet")),
            .order(OrderInput(member: "c", ts: TestStore.ago(3), amount: 40, category: "pet")),
            .event(EventInput(member: "b", ts: TestStore.ago(2), type: "cart", category: "pet")),
        ])
        let files = try segments.scan(store)
        try store.registry.sync(files)
        for name in ["spender", "spend", "south_spenders"] { _ = try store.registry.approve(name: name, actor: "bob", files: files) }
        return (store, segments)
    }

    func runAll(_ store: TestStore, _ segments: SegmentTests) throws -> [RunReport] {
        try segments.runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
    }

    /// Outbox entries about members (not the per-run summaries).
    func announcements(_ store: TestStore, _ segments: SegmentTests) throws -> [String] {
        try segments.outbox(store).filter { $0.transition != "run" }.map { "\($0.transition) \($0.payload)" }
    }

    func desk(_ store: TestStore) -> IdentityMerges {
        IdentityMerges(pool: store.pool, pluginsDirectory: store.rules.deletingLastPathComponent().appendingPathComponent("plugins"))
    }

    /// Every row a merge and a split touch, as comparable text.
    static func rows(_ pool: DatabasePool) throws -> [String: [String]] {
        try pool.read { db in
            var all: [String: [String]] = [:]
            let queries = [
                "members": "SELECT id, external_id, channel, registered_at, gender, region, birthday, level, attrs, updated_at, merged_into FROM members ORDER BY id",
                "orders": "SELECT id, member_id, origin_id, ts, amount FROM orders ORDER BY id",
                "events": "SELECT id, member_id, origin_id, ts, type FROM events ORDER BY id",
                "identities": "SELECT channel, external_id, member_id, origin_id FROM identities ORDER BY channel, external_id",
                "member_tags": "SELECT tag_id, member_id, value, since, run_id FROM member_tags ORDER BY tag_id, member_id",
            ]
            for (name, sql) in queries {
                all[name] = try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map(\.description).joined(separator: "|") }
            }
            return all
        }
    }

    @Test func mergeThenSplitRestoresEveryRowAndTagExactly() throws {
        let (store, segments) = try store()
        #expect(try runAll(store, segments).allSatisfy { $0.status == "succeeded" })
        let before = try Self.rows(store.pool)
        let merged = try desk(store).merge("a", "b", actor: "bob", at: store.asOfDate)
        #expect(merged.survivor == "b")  // registered earlier
        #expect(merged.runs.allSatisfy { $0.status == "succeeded" && $0.kind == "incremental" }, "\(merged.runs.map { ($0.tag, $0.kind ?? "-", $0.error ?? "") })")
        // The survivor's tags describe the person: a's and b's orders together.
        let spend = try store.values("spend")
        #expect(spend["b"] == "\(200 + 15 + 12)", "\(spend)")
        #expect(try store.values("spend")["a"] == nil)
        let history = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT change || ':' || t.name FROM tag_history h JOIN tags t ON t.id = h.tag_id WHERE h.reason = 'merged' AND member_id = (SELECT id FROM members WHERE external_id = 'a') ORDER BY t.name")
        }
        #expect(history == ["lost:south_spenders", "lost:spend", "lost:spender"])
        // Incremental runs after the merge equal a full run.
        let afterMerge = try store.values("spend")
        _ = try segments.runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test", full: true)
        #expect(try store.values("spend") == afterMerge)

        let split = try desk(store).split("b", actor: "bob", at: store.asOfDate)
        #expect(split.absorbed == "a")
        #expect(split.runs.allSatisfy { $0.status == "succeeded" && $0.kind == "incremental" })
        let after = try Self.rows(store.pool)
        for table in before.keys.sorted() { #expect(after[table] == before[table], "\(table) differs after the round trip") }
        let merges = try desk(store).history("a")
        #expect(merges.count == 1 && merges.first?.undoneBy == "bob")
        #expect(try desk(store).history("b").count == 1)
        let audit = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE action LIKE 'identity_%' ORDER BY id") }
        #expect(audit == ["identity_merge", "identity_split"])
    }

    @Test func aSegmentBothFragmentsWereInAnnouncesThePersonOnce() throws {
        let (store, segments) = try store()
        _ = try runAll(store, segments)
        let announced = try announcements(store, segments)
        #expect(announced.count == 3 && announced.allSatisfy { $0.hasPrefix("entered") })  // a, b, c
        _ = try desk(store).merge("a", "b", actor: "bob", at: store.asOfDate)
        // No "left" for the absorbed fragment, no second "entered" for the survivor.
        #expect(try announcements(store, segments) == announced)
        #expect(try store.values("south_spenders").keys.sorted() == ["b", "c"])
        _ = try desk(store).split("a", actor: "bob", at: store.asOfDate)
        #expect(try announcements(store, segments) == announced)
        #expect(try store.values("south_spenders").keys.sorted() == ["a", "b", "c"])
    }

    @Test func aFragmentOnlyItWasInCarriesItsMembershipOverSilently() throws {
        let (store, segments) = try store()
        // d is in the segment; e (the same person, north, no orders) is not.
        _ = try store.store.ingest([
            .member(MemberInput(externalID: "d", registeredAt: TestStore.ago(10), region: "south")),
            .order(OrderInput(member: "d", ts: TestStore.ago(1), amount: 5)),
            .member(MemberInput(externalID: "e", registeredAt: TestStore.ago(20), region: "north")),
        ])
        _ = try runAll(store, segments)
        let announced = try announcements(store, segments)
        let merged = try desk(store).merge("d", "e", actor: "bob", at: store.asOfDate)
        #expect(merged.survivor == "e")
        // e keeps e's region (the survivor's attributes win): after re-evaluation e is not south, so the person leaves, once.
        let leaving = try announcements(store, segments).dropFirst(announced.count)
        #expect(leaving.count == 1 && leaving.first?.hasPrefix("left") == true, "\(leaving)")
        #expect(try store.values("spender")["e"] == "true")
    }

    @Test func aSplitNeedsTheSurvivorsLaterMergesUndoneFirst() throws {
        let (store, segments) = try store()
        _ = try runAll(store, segments)
        _ = try desk(store).merge("a", "b", actor: "bob", at: store.asOfDate)
        _ = try desk(store).merge("b", "c", actor: "bob", at: store.asOfDate)
        // An operator may not merge; merging a member with its own survivor is refused.
        #expect(throws: (any Error).self) { try desk(store).merge("a", "c", actor: "alice", at: store.asOfDate) }
        #expect(throws: (any Error).self) { try desk(store).merge("a", "c", actor: "bob", at: store.asOfDate) }
        // Splitting an absorbed member undoes the merge that absorbed it, even under a later one.
        let first = try desk(store).split("a", actor: "bob", at: store.asOfDate)
        #expect(first.absorbed == "a" && first.survivor == "b")
        #expect(try store.values("spend")["a"] == "\(30 + 20 + 50 + 100)")
        #expect(try store.values("spend")["b"] == "\(27 + 40)")
        let second = try desk(store).split("b", actor: "bob", at: store.asOfDate)
        #expect(second.absorbed == "c")
        let spend = try store.values("spend")
        #expect(spend == ["a": "200", "b": "27", "c": "40"], "\(spend)")
    }

    @Test func splittingAnOlderMergeGivesTheAttributesTheLaterMergesAloneWouldGive() throws {
        let (store, _) = try store()
        _ = try store.store.ingest(members: [
            MemberInput(externalID: "s", registeredAt: TestStore.ago(2_000)),
            MemberInput(externalID: "a1", registeredAt: TestStore.ago(100), region: "north"),
            MemberInput(externalID: "a2", registeredAt: TestStore.ago(50), region: "south", level: 3),
        ])
        _ = try desk(store).merge("s", "a1", actor: "bob", at: store.asOfDate)
        _ = try desk(store).merge("s", "a2", actor: "bob", at: store.asOfDate)
        func attributes() throws -> [String?] {
            try store.pool.read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT region, level FROM members WHERE external_id = 's'"))
                return [row["region"], (row["level"] as Int64?).map(String.init)]
            }
        }
        #expect(try attributes() == ["north", "3"])  // the survivor keeps what it took first
        // Undo the first merge: as if only a2 had been merged into s.
        let undone = try desk(store).split("a1", actor: "bob", at: store.asOfDate)
        #expect(undone.absorbed == "a1")
        #expect(try attributes() == ["south", "3"])
    }

    @Test func thePlanShowsHowTagsWouldChangeWithoutTouchingTheStore() throws {
        let (store, segments) = try store()
        _ = try store.store.ingest(members: [MemberInput(externalID: "a", identities: ["phone": "138 0013 8001"])])
        _ = try runAll(store, segments)
        let before = try store.values("spend")
        let policy = try IdentityTests.policy()
        let impact = try IdentityPlan.impact(
            of: policy, pool: store.pool, pluginsDirectory: store.rules.deletingLastPathComponent().appendingPathComponent("plugins"))
        let spend = try #require(impact.first { $0.tag == "spend" })
        #expect(spend.before == 3 && spend.after == 2, "\(spend)")
        #expect(spend.changed == 1)  // b now holds a's orders too
        #expect(try store.values("spend") == before)
        #expect(try IdentityTests.liveMembers(store).count == 4)
    }
}
