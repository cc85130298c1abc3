import Foundation
import GRDB
import Synchronization
import Testing

@testable import TagEngine

/// Work started on a thread of its own releases what it captured before the
/// thread exits.
///
/// `Thread.detachNewThread` keeps its closure until a thread-exit destructor
/// that runs after libdispatch has torn down the thread's state; a database
/// pool released there (its last reference held by the closure) disposes of
/// its dispatch queues through libdispatch's freed per-thread cache and
/// corrupts the heap. This test aborted ("corrupted double-linked list" or a
/// bad pointer in libdispatch) with `Thread.detachNewThread`.
@Suite("Own threads")
struct OwnThreadTests {
    @Test func aPoolOwnedByTheWorkIsReleasedBeforeTheThreadExits() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-ownthread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for round in 0..<40 {
            let done = DispatchSemaphore(value: 0)
            let answers = Mutex<[Int]>([])
            do {
                // Only the thread's work holds the pool.
                let pool = try DatabasePool(path: directory.appendingPathComponent("s\(round).sqlite").path)
                OwnThread.detach { [pool] in
                    // As a run does: readers side by side, then a write.
                    DispatchQueue.concurrentPerform(iterations: 4) { _ in
                        let one = try? pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
                        answers.withLock { $0.append(one ?? 0) }
                    }
                    try? pool.write { db in try db.execute(sql: "CREATE TABLE IF NOT EXISTS t(x)") }
                    done.signal()
                }
            }
            done.wait()
            #expect(answers.withLock { $0 } == [1, 1, 1, 1])
        }
        // Give the last threads time to exit (and the heap checks of glibc to run).
        Thread.sleep(forTimeInterval: 0.2)
    }
}
