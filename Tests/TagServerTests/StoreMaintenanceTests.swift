import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

/// Background bookkeeping survives a store that refuses writes for a while.
@Suite("Store maintenance", .serialized)
struct StoreMaintenanceTests {
    @Test func readCountsSurviveAFailedFlush() async throws {
        let s = try await TestServer.start()
        try s.writeRule("carted.lua", ServerTests.carted)
        try s.server.state.sync()
        let reads = s.server.state.reads
        reads.record(["carted"], via: "api")
        reads.record(["carted"], via: "api")
        try await s.pool.write { db in
            try db.execute(sql: "CREATE TEMP TRIGGER refuse BEFORE INSERT ON tag_reads BEGIN SELECT RAISE(FAIL, 'refused'); END")
        }
        #expect(throws: (any Error).self) { try reads.flush(into: s.pool) }
        reads.record(["carted"], via: "api")
        #expect(reads.unflushed.map(\.count) == [3])
        try await s.pool.write { db in try db.execute(sql: "DROP TRIGGER temp.refuse") }
        try reads.flush(into: s.pool)
        #expect(reads.unflushed.isEmpty)
        let stored = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT sum(count) FROM tag_reads") }
        #expect(stored == 3)
        try await s.stop()
    }

    @Test func aBusyStoreIsNotAnError() {
        #expect(StoreMaintenance.isBusy(DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked")))
        #expect(StoreMaintenance.isBusy(DatabaseError(resultCode: .SQLITE_LOCKED)))
        #expect(!StoreMaintenance.isBusy(DatabaseError(resultCode: .SQLITE_CORRUPT)))
    }

    @Test func checkpointsWhileAnotherConnectionWrites() async throws {
        let s = try await TestServer.start()
        // Another process's writer (tagd import) holds the write lock for a while.
        let other = try DatabaseQueue(path: s.server.state.configuration.storePath)
        let writing = Task.detached {
            try other.write { db in
                try db.execute(sql: "INSERT INTO members(external_id, attrs, created_at, updated_at) VALUES ('x', '{}', 0, 0)")
                Thread.sleep(forTimeInterval: 5)
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        let maintenance = StoreMaintenance(state: s.server.state)
        let started = Date()
        await maintenance.tick()
        #expect(Date().timeIntervalSince(started) < 4, "a checkpoint waited for the writer")
        try await writing.value
        try await s.stop()
    }
}
