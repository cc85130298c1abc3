import Foundation
import GRDB
import Testing

@testable import TagEngine

@Suite("Lifecycle and governance")
struct GovernanceTests {
    static func rule(_ name: String, owner: String = "crm", _ expression: String = "m.spend > 0", kind: String = "flag") -> String {
        """
        return tag "\(name)" { title = "T", category = "t/g", owner = "\(owner)", kind = "\(kind)", refresh = "daily at 02:00",
          features = { spend = sum("orders.amount") }, evaluate = function(m) return \(expression) end }
        """
    }

    func store(with rules: [String: String]) throws -> TestStore {
        let store = try TestStore()
        try store.seed()
        for (file, source) in rules { try store.write(file, source) }
        try store.registry.sync(try store.scan(), actor: "alice")
        return store
    }

    func lastAudit(_ store: TestStore) throws -> AuditEntry? {
        try store.pool.read { db in try AuditLog.entries(in: db).last }
    }

    // MARK: roles and four-eyes

    @Test func rolesAreChecked() throws {
        let store = try store(with: ["spender.lua": Self.rule("spender")])
        let operatorTry = #expect(throws: PermissionError.self) {
            try store.registry.approve(name: "spender", actor: "alice", files: try store.scan())
        }
        #expect(operatorTry?.message == "user 'alice' is operator; approve needs approver")
        #expect(try lastAudit(store)?.action == "denied")
        #expect(try lastAudit(store)?.actor == "alice")
        #expect(throws: PermissionError.self) { try store.registry.approve(name: "spender", actor: "mallory", files: try store.scan()) }
        _ = try store.registry.approve(name: "spender", actor: "bob", files: try store.scan())
        #expect(throws: PermissionError.self) { try store.registry.retire(name: "spender", actor: "bob", reason: "x") }
        #expect(throws: PermissionError.self) { try Users(pool: store.pool).add(name: "eve", role: .admin, actor: "bob") }
        try Users(pool: store.pool).disable(name: "bob", actor: "root")
        #expect(throws: PermissionError.self) { try store.registry.reject(name: "spender", actor: "bob", reason: "x") }
    }

    @Test func fourEyes() throws {
        let store = try store(with: ["spender.lua": Self.rule("spender", owner: "carol")])
        // alice proposed it (as operator she could not approve anyway): make bob the proposer.
        try store.pool.write { db in try db.execute(sql: "UPDATE tag_versions SET proposed_by = 'bob'") }
        let own = #expect(throws: LifecycleError.self) { try store.registry.approve(name: "spender", actor: "bob", files: try store.scan()) }
        #expect(own?.message.contains("four-eyes: bob proposed") == true)
        let owner = #expect(throws: LifecycleError.self) { try store.registry.approve(name: "spender", actor: "carol", files: try store.scan()) }
        #expect(owner?.message.contains("four-eyes: carol owns") == true)
        #expect(throws: PermissionError.self) { try Settings(pool: store.pool).set(.fourEyes, to: "off", actor: "bob") }
        try Settings(pool: store.pool).set(.fourEyes, to: "off", actor: "root")
        #expect(try lastAudit(store)?.detail == "four_eyes: on -> off")
        _ = try store.registry.approve(name: "spender", actor: "bob", files: try store.scan())
    }

    // MARK: transitions

    @Test func legalAndIllegalTransitions() throws {
        let store = try store(with: ["spender.lua": Self.rule("spender")])
        let registry = store.registry
        func state() throws -> String { try registry.history(name: "spender").state }

        // proposed: cannot retire or restore; can reject.
        let retireProposal = #expect(throws: LifecycleError.self) { try registry.retire(name: "spender", actor: "root", reason: "x") }
        #expect(retireProposal?.message.contains("never approved; reject it instead") == true)
        #expect(throws: LifecycleError.self) { try registry.restore(name: "spender", actor: "root") }
        #expect(throws: LifecycleError.self) { try registry.reject(name: "spender", actor: "bob", reason: " ") }
        try registry.reject(name: "spender", actor: "bob", reason: "too broad")
        #expect(try state() == "rejected")
        let nothing = #expect(throws: LifecycleError.self) { try registry.reject(name: "spender", actor: "bob", reason: "again") }
        #expect(nothing?.message.contains("rejected with no proposal waiting") == true)
        // the rejected content cannot be approved; an edit proposes again.
        #expect(throws: LifecycleError.self) { try registry.approve(name: "spender", actor: "bob", files: try store.scan()) }
        try store.write("spender.lua", Self.rule("spender", "m.spend > 10"))
        try registry.sync(try store.scan())
        #expect(try state() == "proposed")
        _ = try registry.approve(name: "spender", actor: "bob", files: try store.scan())
        #expect(try state() == "active")
        _ = try store.run()
        // active: retire, then it is retired and cannot be approved or rejected.
        #expect(try registry.retire(name: "spender", actor: "root", reason: "unused") == 2)
        #expect(try state() == "retired")
        #expect(try store.values("spender").isEmpty)
        let approveRetired = #expect(throws: LifecycleError.self) { try registry.approve(name: "spender", actor: "carol", files: try store.scan()) }
        #expect(approveRetired?.message.contains("is retired; an admin restores it first") == true)
        #expect(throws: LifecycleError.self) { try registry.reject(name: "spender", actor: "bob", reason: "x") }
        #expect(throws: LifecycleError.self) { try registry.retire(name: "spender", actor: "root", reason: "again") }
        #expect(throws: LifecycleError.self) { try store.registry.liveVersions(names: ["spender"]) }
        // restore: a proposal again, writing nothing until approved.
        try registry.restore(name: "spender", actor: "root", reason: "needed after all")
        #expect(try state() == "proposed")
        #expect(try store.registry.liveVersions().isEmpty)
        #expect(try store.values("spender").isEmpty)
        _ = try registry.approve(name: "spender", actor: "bob", files: try store.scan())
        _ = try store.run()
        #expect(try store.values("spender") == ["a": "true", "b": "true"])
        let actions = try registry.history(name: "spender").transitions.map(\.action)
        #expect(actions == ["propose", "reject", "propose", "approve", "retire", "restore", "approve"])
    }

    @Test func retirementMovesValuesToHistory() throws {
        let store = try store(with: ["spender.lua": Self.rule("spender")])
        _ = try store.registry.approve(name: "spender", actor: "bob", files: try store.scan())
        _ = try store.run()
        try store.registry.retire(name: "spender", actor: "root", reason: "unused")
        let memberA = try #require(try store.store.member(externalID: "a"))
        #expect(try store.registry.tags(ofMember: memberA.id).isEmpty)
        let trace = try store.registry.trace(memberID: memberA.id, externalID: "a", tag: "spender")
        #expect(trace.value == nil)
        #expect(trace.lastChange == "lost true -> - (retired)")
    }

    @Test func orphaning() throws {
        let store = try store(with: ["spender.lua": Self.rule("spender")])
        _ = try store.registry.approve(name: "spender", actor: "bob", files: try store.scan())
        try FileManager.default.removeItem(at: store.rules.appendingPathComponent("spender.lua"))
        let report = try store.registry.sync(try store.scan())
        #expect(report.orphaned == ["spender"])
        #expect(try store.registry.overview().first?.orphaned == true)
        // An orphaned tag keeps running its approved version.
        #expect(try store.run().first?.status == "succeeded")
        try store.write("spender.lua", Self.rule("spender"))
        try store.registry.sync(try store.scan())
        #expect(try store.registry.overview().first?.orphaned == false)
    }

    // MARK: dependencies

    @Test func dependantsBlockRetirementAndRunFirst() throws {
        let vip = """
            return tag "vip" { title = "VIP", category = "t/g", owner = "crm", kind = "flag", refresh = "hourly",
              evaluate = function(m) return m.tags.spender == "true" and m.attr.region == "south" end }
            """
        let store = try store(with: ["spender.lua": Self.rule("spender"), "vip.lua": vip])
        let early = #expect(throws: LifecycleError.self) { try store.registry.approve(name: "vip", actor: "bob", files: try store.scan()) }
        #expect(early?.message.contains("reads tags that are not active: spender") == true)
        _ = try store.registry.approve(name: "spender", actor: "bob", files: try store.scan())
        _ = try store.registry.approve(name: "vip", actor: "bob", files: try store.scan())
        // One run: spender is computed first, so vip sees its fresh values.
        let reports = try store.run()
        #expect(reports.map(\.tag) == ["spender", "vip"])
        #expect(try store.values("vip") == ["a": "true"])
        let blocked = #expect(throws: LifecycleError.self) { try store.registry.retire(name: "spender", actor: "root", reason: "x") }
        #expect(blocked?.message.contains("is read by active rules: vip") == true)
        try store.registry.retire(name: "vip", actor: "root", reason: "campaign over")
        try store.registry.retire(name: "spender", actor: "root", reason: "no longer needed")
    }

    @Test func dependencyCyclesAreNamed() throws {
        let rules = [("a", ["b"]), ("b", ["c"]), ("c", ["a"]), ("d", [])]
        let error = #expect(throws: LifecycleError.self) { try RunOrder.sort(rules, name: { $0.0 }, dependencies: { $0.1 }) }
        #expect(error?.message == "dependency cycle: a -> b -> c -> a")
        let pairs: [(String, [String])] = [("x", ["y"]), ("y", [])]
        let order: [String] = try RunOrder.sort(pairs, name: { $0.0 }, dependencies: { $0.1 }).map { $0.0 }
        #expect(order == ["y", "x"])
    }
}
