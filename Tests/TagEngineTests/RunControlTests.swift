import Foundation
import GRDB
import MemberStore
import Synchronization
import Testing

@testable import TagEngine

/// A slow rule is stopped by its time limit or an operator; others are not held up.
@Suite("Run control", .serialized)
struct RunControlTests {
    static func rule(_ name: String, spin: Int) -> String {
        """
        return tag "\(name)" { title = "T", category = "t/s", owner = "crm", kind = "flag", refresh = "hourly",
          features = { spend = sum("orders.amount") },
          evaluate = function(m)
            local x = 0
            for i = 1, \(spin) do x = x + i end
            return m.spend > 0
          end }
        """
    }

    func store(members: Int) throws -> TestStore {
        let store = try TestStore()
        _ = try store.store.ingest(orders: (0..<members).map { OrderInput(member: "m\($0)", ts: TestStore.ago(3), amount: 10) })
        try store.write("slow.lua", Self.rule("slow", spin: 200_000))
        try store.write("fast.lua", Self.rule("fast", spin: 1))
        try store.approve("slow")
        try store.approve("fast")
        return store
    }

    func runs(_ store: TestStore) throws -> [Row] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT t.name, r.status, r.error FROM runs r JOIN tags t ON t.id = r.tag_id ORDER BY r.id")
        }
    }

    @Test func aRuleOverItsTimeLimitIsCancelledAndTheOthersCommit() throws {
        let store = try store(members: 2_000)
        try Settings(pool: store.pool).set(.runTimeLimit, to: "1", actor: "root")
        let started = Date()
        let reports = try store.run()
        #expect(Date().timeIntervalSince(started) < 10)
        let slow = try #require(reports.first { $0.tag == "slow" })
        #expect(slow.status == "cancelled")
        #expect(slow.error?.contains("exceeded its run time limit of 1 s") == true, "\(slow.error ?? "")")
        #expect(reports.first { $0.tag == "fast" }?.status == "succeeded")
        #expect(try store.values("slow").isEmpty)
        #expect(try store.values("fast").count == 2_000)
    }

    @Test func anOperatorCancelsARunningRunFromAnotherConnection() throws {
        let store = try store(members: 3_000)
        // The run on a thread of its own, as another process would run it
        // (OwnThread: the store it captures is released before the thread exits).
        let finished = DispatchSemaphore(value: 0)
        let outcome = Mutex<[RunReport]>([])
        OwnThread.detach {
            outcome.withLock { $0 = (try? store.run(["slow"])) ?? [] }
            finished.signal()
        }
        var runID: Int64?
        for _ in 0..<600 where runID == nil {
            Thread.sleep(forTimeInterval: 0.05)
            runID = try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE status = 'running'") }
        }
        let id = try #require(runID)
        // What `tagd cancel` does from another process: a request in the run's row.
        try store.pool.write { db in try db.execute(sql: "UPDATE runs SET cancel_requested = 'cancelled by alice' WHERE id = ?", arguments: [id]) }
        finished.wait()
        let reports = outcome.withLock { $0 }
        #expect(reports.first?.status == "cancelled")
        #expect(reports.first?.error?.contains("cancelled by alice") == true)
        #expect(try store.values("slow").isEmpty)
        // Cancelling what is not running is refused; an unknown user is refused.
        #expect(throws: LifecycleError.self) { try RunControl.cancel(runID: id, actor: "alice", reason: nil, pool: store.pool) }
        #expect(throws: PermissionError.self) { try RunControl.cancel(runID: id, actor: "mallory", reason: nil, pool: store.pool) }
    }
}
