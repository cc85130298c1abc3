import Foundation
import GRDB
import Testing

@testable import MemberStore

@Suite("Checkpoints beside another checkpointer")
struct CheckpointTests {
    /// The server checkpoints on a connection of its own while runs end with
    /// a checkpoint of theirs: two at once must not fail the run that
    /// committed (CI saw "database is locked" from exactly this).
    @Test func aCheckpointUnderWayElsewhereIsNotAnError() async throws {
        let t = try TestStore()
        let path = t.store.pool.path
        try await t.store.pool.write { db in
            try db.execute(sql: "CREATE TABLE pad(x BLOB)")
        }
        let other = try DatabaseQueue(path: path)
        let writes = Task.detached {
            for _ in 0..<300 {
                try await t.store.pool.write { db in
                    try db.execute(sql: "INSERT INTO pad VALUES (randomblob(20000))")
                }
                try t.store.pool.checkpointUnlessBusy()
            }
        }
        // A bare passive checkpoint fails with SQLITE_BUSY most of these times.
        let checkpoints = Task.detached {
            for _ in 0..<300 { try other.checkpointUnlessBusy() }
        }
        try await writes.value
        try await checkpoints.value
        let rows = try await t.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pad") }
        #expect(rows == 300)
    }
}
