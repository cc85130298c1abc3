import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

@Suite("Only approved versions write live tags")
struct ApprovalTests {
    static func rule(_ expression: String) -> String {
        """
        return tag "spender" { title = "S", category = "t/s", owner = "qa", kind = "score", refresh = "hourly",
          features = { spend = sum("orders.amount") }, evaluate = function(m) return \(expression) end }
        """
    }

    @Test func aProposalDoesNotRun() throws {
        let store = try TestStore()
        try store.seed()
        try store.write("spender.lua", Self.rule("m.spend"))
        try store.registry.sync(try store.scan())
        #expect(try store.registry.liveVersions().isEmpty)
        #expect(throws: LifecycleError.self) { try store.registry.liveVersions(names: ["spender"]) }
        #expect(try store.values("spender").isEmpty)
    }

    @Test func planWritesNothing() throws {
        let store = try TestStore()
        try store.seed()
        try store.write("spender.lua", Self.rule("m.spend"))
        let files = try store.scan()
        try store.registry.sync(files)
        let before = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT total_changes()") }
        let plan = try store.runner.plan(source: files[0].source, file: files[0].path, tagName: "spender", asOf: store.asOfDate)
        #expect(plan.covered == 4)
        #expect(plan.gained == 4)
        #expect(plan.distribution.first == RunReport.ValueCount(value: "0", count: 2))
        #expect(plan.samples["gained"] == ["a", "b", "c", "d"])
        let counts = try store.pool.read { db in
            try Int.fetchAll(db, sql: "SELECT (SELECT count(*) FROM member_tags) UNION ALL SELECT (SELECT count(*) FROM runs)")
        }
        #expect(counts == [0, 0])
        _ = before
    }

    @Test func anEditedActiveTagKeepsRunningItsApprovedVersion() throws {
        let store = try TestStore()
        try store.seed()
        try store.write("spender.lua", Self.rule("m.spend"))
        try store.approve("spender")
        _ = try store.run()
        #expect(try store.values("spender")["a"] == "200")
        // Edit the file: a proposal, the approved version keeps running.
        try store.write("spender.lua", Self.rule("m.spend * 2"))
        try store.registry.sync(try store.scan())
        let report = try #require(try store.run().first)
        #expect(report.changed == 0)
        #expect(try store.values("spender")["a"] == "200")
        let plan = try store.runner.plan(source: Self.rule("m.spend * 2"), file: "spender.lua", tagName: "spender", asOf: store.asOfDate)
        #expect(plan.changed == 2)
        // Approving the new version makes it the one that runs.
        _ = try store.registry.approve(name: "spender", actor: "carol", files: try store.scan())
        _ = try store.run()
        #expect(try store.values("spender")["a"] == "400")
    }

    @Test func approvalBindsToTheFilesCurrentContent() throws {
        let store = try TestStore()
        try store.write("spender.lua", Self.rule("m.spend"))
        let files = try store.scan()
        try store.registry.sync(files)
        // The file changes after the scan: approving the stale scan still
        // approves exactly what was scanned, and approving twice is refused.
        _ = try store.registry.approve(name: "spender", actor: "bob", files: files)
        let again = #expect(throws: LifecycleError.self) { try store.registry.approve(name: "spender", actor: "bob", files: files) }
        #expect(again?.message.contains("already live") == true)
        try store.write("spender.lua", Self.rule("1"))
        let unsynced = #expect(throws: LifecycleError.self) {
            try store.registry.approve(name: "spender", actor: "bob", files: try store.scan())
        }
        #expect(unsynced?.message.contains("not a recorded proposal") == true)
    }

    @Test func auditChainDetectsTampering() throws {
        let store = try TestStore()
        try store.write("spender.lua", Self.rule("m.spend"))
        try store.approve("spender")
        #expect(try store.pool.read(AuditLog.firstBrokenRow) == nil)
        try store.pool.write { db in try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE action = 'approve'") }
        #expect(try store.pool.read(AuditLog.firstBrokenRow) != nil)
    }

    @Test func rewritingHistoryWithoutTheKeyIsDetected() throws {
        let store = try TestStore()
        try store.write("spender.lua", Self.rule("m.spend"))
        try store.approve("spender")
        let keyFile = store.store.path + ".audit-key"
        #expect(FileManager.default.fileExists(atPath: keyFile))
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Whoever can write the store but not read the key edits a row and
        // recomputes the whole chain the only way they can: without the key.
        try store.pool.write { db in
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE action = 'approve'")
            var previous = ""
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id") {
                let fields = AuditFields(
                    previous: previous, at: row["at"], actor: row["actor"], action: row["action"], tag: row["tag"],
                    versionHash: row["version_hash"], reason: row["reason"], detail: row["detail"])
                let hash = Hashing.sha256Hex(fields.canonical)
                try db.execute(
                    sql: "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, row["id"]])
                previous = hash
            }
        }
        let result = try store.pool.read(AuditLog.verify)
        #expect(result.brokenAt == 1)
        // Marking the rows as unkeyed (pre-key) does not help either: the
        // legacy rows are accepted only before the first keyed row, and the
        // rows were keyed.
        #expect(result.entries == 1)
    }

    @Test func aMissingKeyIsAnErrorNotANewChain() throws {
        let store = try TestStore()
        try store.write("spender.lua", Self.rule("m.spend"))
        let keyFile = store.store.path + ".audit-key"
        try FileManager.default.removeItem(atPath: keyFile)
        // A fresh process (no cached key) must refuse to append.
        let reopened = try MemberStore(path: store.store.path)
        AuditKeyring.forget()
        let error = #expect(throws: AuditKeyError.self) {
            try reopened.pool.write { db in try AuditLog.append(db, actor: "root", action: "probe") }
        }
        #expect(error?.description.contains("there is no key file") == true)
    }

    @Test func tokensExpireAndRevokedOnesAuthenticateNobody() throws {
        let store = try TestStore()
        let tokens = ApiTokens(pool: store.pool)
        let now = TestStore.asOf
        let token = try tokens.create(for: "bob", lifetime: 3_600, now: now)
        #expect(try tokens.user(for: token, now: now + 60)?.name == "bob")
        #expect(try tokens.user(for: token, now: now + 3_601) == nil)
        let listed = try #require(try tokens.list(user: "bob").first)
        #expect(listed.expiresAt == now + 3_600)
        #expect(throws: PermissionError.self) { try tokens.revoke(id: listed.id, actor: "alice") }  // not hers, not an admin
        try tokens.revoke(id: listed.id, actor: "root")
        #expect(try tokens.user(for: token, now: now + 60) == nil)
        #expect(throws: LifecycleError.self) { try tokens.create(for: "bob", lifetime: 500 * 86_400) }
        let identity = Identity(pool: store.pool)
        #expect(throws: PermissionError.self) { try identity.resolve(claimed: nil, token: token, osUser: "nobody") }
    }

    @Test func twoFilesDeclaringOneNameAreRefused() throws {
        let store = try TestStore()
        try store.write("a.lua", Self.rule("1"))
        try store.write("b.lua", Self.rule("2"))
        let report = try store.registry.sync(try store.scan())
        #expect(report.errors.count == 2)
        #expect(report.errors.allSatisfy { $0.message.contains("declared by several files") })
        #expect(try store.registry.overview().isEmpty)
    }
}
