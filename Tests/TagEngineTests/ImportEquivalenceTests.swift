import Foundation
import GRDB
import MemberStore
import TagDemo
import Testing

@testable import TagEngine

/// A bulk import (one transaction, change-log triggers paused, identity
/// filter) stores exactly what writing the same records one by one, each in
/// its own transaction with the triggers on, stores: members, identities,
/// merges, conflicts, candidates, orders and the members logged as changed.
@Suite("Bulk import equals record-by-record ingest")
struct ImportEquivalenceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func shippedPolicy() throws -> IdentityPolicy {
        let url = repository.appendingPathComponent("rules/identity.lua")
        return try IdentityRules.parse(source: String(contentsOf: url, encoding: .utf8))
    }

    /// Every record of an NDJSON file, decoded as `kind`.
    static func records(_ file: URL, kind: RecordKind) throws -> [IngestRecord] {
        let data = try Data(contentsOf: file)
        let objects = try data.withUnsafeBytes { try IngestBody.objects(fromUTF8: $0, isNDJSON: true) }
        let decoder = RecordDecoder(kind: kind)
        return try objects.map { try decoder.decode($0) }
    }

    /// The stored outcome by external ids (row ids and write times left out).
    static func snapshot(_ store: TestStore) throws -> [String] {
        try store.pool.read { db in
            let queries = [
                """
                SELECT m.external_id, coalesce(s.external_id, ''), m.channel, m.registered_at, m.gender, m.region, m.level, m.attrs
                FROM members m LEFT JOIN members s ON s.id = m.merged_into ORDER BY m.id
                """,
                """
                SELECT i.channel, i.external_id, m.external_id, coalesce(o.external_id, '') FROM identities i
                JOIN members m ON m.id = i.member_id LEFT JOIN members o ON o.id = i.origin_id ORDER BY 1, 2
                """,
                """
                SELECT x.order_key, m.external_id, coalesce(o.external_id, ''), x.amount FROM orders x
                JOIN members m ON m.id = x.member_id LEFT JOIN members o ON o.id = x.origin_id ORDER BY x.id
                """,
                """
                SELECT s.external_id, a.external_id, g.reason, g.rule_version, json_remove(g.survivor_before, '$.updated_at') FROM merges g
                JOIN members s ON s.id = g.survivor JOIN members a ON a.id = g.absorbed ORDER BY g.id
                """,
                """
                SELECT a.external_id, b.external_id, c.channel, c.reason, c.status FROM identity_candidates c
                JOIN members a ON a.id = c.member_a JOIN members b ON b.id = c.member_b ORDER BY c.id
                """,
                "SELECT m.external_id FROM members m WHERE m.id IN (SELECT member_id FROM change_log) ORDER BY m.id",
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            ]
            return try queries.flatMap { sql in
                try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map(\.description).joined(separator: "|") } + ["--"]
            }
        }
    }

    @Test func aBatchImportAndRecordByRecordIngestStoreTheSame() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-equivalence-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // 2,500 people: shared placeholder phones, two families sharing an e-mail, accounts sharing nothing.
        let output = try IdentityPeople(people: 2_500, asOf: TestStore.asOf).write(into: folder)
        #expect(output.accounts > 4_000)
        var policy = try Self.shippedPolicy()
        policy.version = "v-test"
        let accounts = folder.appendingPathComponent("accounts.ndjson")
        let orders = folder.appendingPathComponent("orders.ndjson")
        // Conflicts of every kind: two members each holding a phone linked by a record, a second
        // phone refused by the limit, a channel that is not a merge key held by another member.
        let handle = try FileHandle(forWritingTo: accounts)
        handle.seekToEndOfFile()
        handle.write(Data("""
            {"identities":{"phone":"137 1111 0001","email":"c1@x.cn"},"registered_at":1600000000}
            {"identities":{"phone":"13711110002","wechat_unionid":"u-c1"},"attrs":{"vip":true}}
            {"identities":{"email":"C1@x.cn","wechat_unionid":"u-c1"}}
            {"identities":{"email":"c1@x.cn","phone":"13711119999"}}
            {"identities":{"loyalty":"L1","phone":"13711110005"},"region":"north"}
            {"identities":{"loyalty":"L1","phone":"13711110006"}}
            {"member":"crm-9","identities":{"phone":"13711110006","email":"c9@x.cn"}}

            """.utf8))
        try handle.close()

        let batch = try TestStore()
        let single = try TestStore()
        var options = ImportOptions()
        options.identityPolicy = policy
        var summed = IngestCounts()
        var counts = IngestCounts()
        var conflicts: [IdentityConflict] = []
        var batchConflicts: [IdentityConflict] = []
        for (file, kind) in [(accounts, RecordKind.members), (orders, .orders)] {
            let imported = try batch.store.importFile(file.path, kind: kind, options: options)
            summed += imported.counts
            batchConflicts += imported.conflicts
            let (written, reported) = try Self.writeOneByOne(Self.records(file, kind: kind), into: single, policy: policy)
            counts += written
            conflicts += reported
            // The members each phase logged as changed are compared too, then forgotten.
            try Self.expectSame(try Self.snapshot(batch), try Self.snapshot(single))
            for store in [batch, single] { try store.pool.write { db in try db.execute(sql: "DELETE FROM change_log") } }
        }
        #expect(summed.merges > 10)
        #expect(summed.conflicts >= 3)
        #expect(summed.blockedIdentities > 0)
        #expect(summed == counts)
        #expect(batchConflicts.map(\.description) == conflicts.map(\.description))
    }

    /// Writes `records` one by one into `store`, each in its own transaction; returns what the writers counted and reported.
    @discardableResult
    static func writeOneByOne(_ records: [IngestRecord], into store: TestStore, policy: IdentityPolicy) throws -> (IngestCounts, [IdentityConflict]) {
        var counts = IngestCounts()
        var conflicts: [IdentityConflict] = []
        for record in records {
            let (written, reported) = try store.pool.write { db in
                let writer = try IngestWriter(db: db)
                writer.policy = policy
                try writer.write(record)
                return (writer.counts, writer.conflicts)
            }
            counts += written
            conflicts += reported
        }
        return (counts, conflicts)
    }

    /// The import holds new identity rows in memory and writes them at the end:
    /// its look-ups (by value, the limits, a merge with a member stored before)
    /// must see them and the rows stored before alike.
    @Test func aBatchImportIntoAStoreHoldingIdentitiesEqualsRecordByRecordIngest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-equivalence-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try IdentityPeople(people: 1_500, asOf: TestStore.asOf).write(into: folder)
        var policy = try Self.shippedPolicy()
        policy.version = "v-test"
        let lines = try String(contentsOf: folder.appendingPathComponent("accounts.ndjson"), encoding: .utf8).split(separator: "\n")
        // Two accounts in three are stored first (in both stores, one by one); the import brings the third.
        let stored = lines.indices.filter { $0 % 3 != 0 }.map { lines[$0] } + [
            #"{"identities":{"phone":"13733330001"},"registered_at":1500000000}"#,
            #"{"identities":{"phone":"13733330002"},"registered_at":1500000000,"region":"west"}"#,
            #"{"identities":{"phone":"13733330003"},"registered_at":1300000000}"#,
        ]
        let imported = lines.indices.filter { $0 % 3 == 0 }.map { lines[$0] } + [
            // A new member's pending phone counts against the limit: the second phone is refused.
            #"{"identities":{"phone":"137 2222 0001","email":"p1@x.cn"}}"#,
            #"{"identities":{"email":"p1@x.cn","phone":"13722220002"}}"#,
            // Two new members, each with a pending phone, linked: held as a candidate.
            #"{"identities":{"phone":"13722220002","taobao":"tb-p1"}}"#,
            #"{"identities":{"taobao":"tb-p1","email":"p1@x.cn"}}"#,
            // A new member merged into one stored before: its pending rows move with their origin.
            #"{"identities":{"email":"e1@x.cn","wechat_unionid":"u-e1"}}"#,
            #"{"identities":{"email":"e1@x.cn","phone":"137 3333 0001"}}"#,
            #"{"identities":{"wechat_unionid":"u-e1","taobao":"tb-e1"}}"#,
            // A channel that is not a merge key, pending for another member.
            #"{"identities":{"loyalty":"L9","phone":"13744440001"}}"#,
            #"{"identities":{"loyalty":"L9","phone":"13744440002"}}"#,
            // Members of this import merged with each other (in memory, a chain of three, the
            // survivor by registration), a limit between two of them, then a stored member absorbed.
            #"{"identities":{"email":"m1@x.cn"},"region":"east"}"#,
            #"{"identities":{"taobao":"tb-m2"},"registered_at":1400000000,"attrs":{"tier":"gold"}}"#,
            #"{"identities":{"email":"m1@x.cn","taobao":"tb-m2"}}"#,
            #"{"identities":{"jd":"jd-m3"},"attrs":{"tier":"silver","vip":true}}"#,
            #"{"identities":{"jd":"jd-m3","email":"M1@x.cn"}}"#,
            #"{"identities":{"store_card":"sc-m4","taobao":"tb-m4"}}"#,
            #"{"identities":{"store_card":"sc-m4","email":"m1@x.cn"}}"#,
            #"{"identities":{"jd":"jd-m3","phone":"13733330002"}}"#,
            // Two of this import merged in memory, then absorbed by a member stored before.
            #"{"identities":{"wechat_openid":"wo-m5"},"gender":"f"}"#,
            #"{"identities":{"email":"m5@x.cn"},"level":3}"#,
            #"{"identities":{"wechat_openid":"wo-m5","email":"m5@x.cn"}}"#,
            #"{"identities":{"email":"m5@x.cn","phone":"13733330003"}}"#,
            #"{"identities":{"wechat_openid":"wo-m5","taobao":"tb-m5"}}"#,
        ]
        let first = folder.appendingPathComponent("first.ndjson")
        let second = folder.appendingPathComponent("second.ndjson")
        try (stored.joined(separator: "\n") + "\n").write(to: first, atomically: true, encoding: .utf8)
        try (imported.joined(separator: "\n") + "\n").write(to: second, atomically: true, encoding: .utf8)

        let batch = try TestStore()
        let single = try TestStore()
        for store in [batch, single] { try Self.writeOneByOne(Self.records(first, kind: .members), into: store, policy: policy) }
        var options = ImportOptions()
        options.identityPolicy = policy
        let summary = try batch.store.importFile(second.path, kind: .members, options: options)
        let (counts, conflicts) = try Self.writeOneByOne(Self.records(second, kind: .members), into: single, policy: policy)
        try Self.expectSame(try Self.snapshot(batch), try Self.snapshot(single))
        #expect(summary.counts == counts)
        #expect(summary.conflicts.map(\.description) == conflicts.map(\.description))
        #expect(summary.counts.merges > 5)
        #expect(summary.conflicts.contains { $0.description.contains("already holds 1 phone") })
        // The merges above: in memory and in the store, with every row's origin.
        let origins = try batch.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT i.external_id, m.external_id, coalesce(o.external_id, '') FROM identities i JOIN members m ON m.id = i.member_id
                LEFT JOIN members o ON o.id = i.origin_id WHERE i.external_id IN ('m1@x.cn', 'jd-m3', 'tb-m2', 'm5@x.cn', 'wo-m5', '+8613733330002') ORDER BY 1
                """).map { "\($0[0] as String) \($0[1] as String) \($0[2] as String)" }
        }
        #expect(origins == [
            "+8613733330002 taobao:tb-m2 phone:+8613733330002", "jd-m3 taobao:tb-m2 jd:jd-m3", "m1@x.cn taobao:tb-m2 email:m1@x.cn",
            "m5@x.cn phone:+8613733330003 email:m5@x.cn", "tb-m2 taobao:tb-m2 ", "wo-m5 phone:+8613733330003 wechat_openid:wo-m5",
        ])
        #expect(summary.conflicts.contains { $0.description.contains("taobao:tb-m2") && $0.description.contains("limit 1") })
        // A split undoes a merge made in memory as it undoes one made in the store: the stored member absorbed
        // the pair first (split last merge first), then the pair itself.
        for store in [batch, single] {
            try store.pool.write { db in
                let merger = IdentityMerger(db: db)
                for name in ["wechat_openid:wo-m5", "email:m5@x.cn", "phone:+8613733330002", "jd:jd-m3"] {
                    guard let member = try Int64.fetchOne(db, sql: "SELECT id FROM members WHERE external_id = ?", arguments: [name]) else {
                        Issue.record("no member \(name)")
                        return
                    }
                    try merger.split(mergeID: merger.mergeToSplit(member: member, id: nil).id, actor: "test")
                }
            }
        }
        try Self.expectSame(try Self.snapshot(batch), try Self.snapshot(single))
        let split = try batch.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT i.external_id || ' ' || m.external_id || ' ' || coalesce(i.origin_id, '') FROM identities i JOIN members m ON m.id = i.member_id
                WHERE i.external_id IN ('m5@x.cn', 'wo-m5', 'jd-m3', '+8613733330002') ORDER BY 1
                """)
        }
        #expect(split == ["+8613733330002 phone:+8613733330002 ", "jd-m3 jd:jd-m3 ", "m5@x.cn email:m5@x.cn ", "wo-m5 wechat_openid:wo-m5 "])
        // More identities were stored than the import added: the member index was kept, and it is whole.
        let (indexed, all, integrity) = try batch.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM identities INDEXED BY identities_member WHERE member_id > 0"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM identities NOT INDEXED"),
             try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(indexed == all && integrity == "ok")
    }

    static func expectSame(_ actual: [String], _ expected: [String]) throws {
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) where a != e {
            Issue.record("batch \(a) != single \(e)")
            return
        }
    }

    @Test func anImportLogsEveryMemberItChangesAndKeepsTheTriggers() throws {
        let store = try TestStore()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-changelog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.store.ingest(members: [MemberInput(externalID: "old1"), MemberInput(externalID: "old2"), MemberInput(externalID: "old3")])
        try store.pool.write { db in try db.execute(sql: "DELETE FROM change_log") }
        let file = folder.appendingPathComponent("orders.csv")
        try "member,ts,amount\nold2,2024-01-01,5\nnew1,2024-01-02,7\n".write(to: file, atomically: true, encoding: .utf8)
        _ = try store.store.importFile(file.path, kind: .orders)
        let logged = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT m.external_id FROM change_log c JOIN members m ON m.id = c.member_id ORDER BY 1")
        }
        #expect(logged == ["new1", "old2"])
        // The triggers are back: a write outside an import is logged by them.
        try store.store.ingest(members: [MemberInput(externalID: "old3", region: "north")])
        let after = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE member_id = (SELECT id FROM members WHERE external_id = 'old3')") }
        #expect(after == 1)
        // A failed import leaves the triggers and the log as they were.
        let bad = folder.appendingPathComponent("bad.csv")
        try "member,ts,amount\nold1,2024-01-01,5\nold1,not-a-date,7\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try store.store.importFile(bad.path, kind: .orders) }
        let triggers = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%change_log%'") }
        #expect(triggers == 8)
        let old1 = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE member_id = (SELECT id FROM members WHERE external_id = 'old1')") }
        #expect(old1 == 0)
    }
}

/// `tagd import` merging members: the next run is incremental and leaves
/// the survivor's tags as a full run would.
@Suite("An import that merges, then an incremental run")
struct ImportMergeRunTests {
    @Test func theSurvivorsTagsAreRightAfterTheNextIncrementalRun() throws {
        let merges = IdentityMergeTests()
        let (store, segments) = try merges.store()
        _ = try merges.runAll(store, segments)
        let folder = store.rules.deletingLastPathComponent()
        let members = folder.appendingPathComponent("members.ndjson")
        let orders = folder.appendingPathComponent("orders.csv")
        try """
            {"member":"a","registered_at":\(TestStore.ago(2_000)),"region":"south","identities":{"phone":"138 0013 8001"}}

            """.write(to: members, atomically: true, encoding: .utf8)
        try "member,ts,amount,category\na,\(TestStore.ago(1)),30,pet\n".write(to: orders, atomically: true, encoding: .utf8)
        var options = ImportOptions()
        options.identityPolicy = try IdentityTests.policy()
        let summary = try store.store.importFile(members.path, kind: .members, options: options)
        #expect(summary.counts.merges == 1)
        _ = try store.store.importFile(orders.path, kind: .orders, options: options)
        // b registered first and survives a (the store's a had no registration when they merged): it holds both's orders.
        let reports = try merges.runAll(store, segments)
        #expect(reports.allSatisfy { $0.kind == "incremental" }, "\(reports.map { "\($0.tag) \($0.kind ?? "-")" })")
        #expect(reports.allSatisfy { ($0.evaluated ?? .max) <= 2 })
        let spend = try store.values("spend")
        #expect(spend["a"] == nil && spend["c"] == "40", "\(spend)")
        // b's spend now counts a's orders and the one imported for a (its own was 12).
        #expect((spend["b"].flatMap(Double.init) ?? 0) > 12 + 30, "\(spend)")
        let afterIncremental = try ["spend", "spender", "south_spenders"].map { try store.values($0) }
        // A full run over the same store finds the same values.
        try store.pool.write { db in try db.execute(sql: "DELETE FROM feature_snapshots") }
        let full = try merges.runAll(store, segments)
        #expect(full.allSatisfy { $0.kind == "full" })
        #expect(try ["spend", "spender", "south_spenders"].map { try store.values($0) } == afterIncremental)
    }
}
