import Foundation
import Synchronization

/// Runs blocking work that may take long (a rule run, a plugin hook) on a
/// new thread of its own, so it never holds a thread of Swift's cooperative
/// pool or of a pool that answers requests.
///
/// Use ``detach(_:)`` rather than `Thread.detachNewThread`: Foundation keeps
/// the closure a `Thread` runs until the thread's exit, and releases it from
/// a thread-specific-data destructor, after libdispatch has torn down its
/// own per-thread state. When that closure holds the last reference to
/// something that touches libdispatch as it goes (a GRDB `DatabasePool`
/// disposes of its dispatch queues), libdispatch then reuses its freed
/// per-thread continuation cache and corrupts the heap ("corrupted
/// double-linked list" at a later thread's exit).
public enum OwnThread {
    /// Runs `body` on a new thread and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            detach { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Starts `body` on a new thread. Everything `body` captured is released
    /// on that thread as soon as `body` returns, before the thread exits.
    public static func detach(_ body: @escaping @Sendable () -> Void) {
        let handoff = Handoff(body)
        Thread.detachNewThread { handoff.run() }
    }
}

/// Holds a thread's work until the thread takes it, so that the closure
/// Foundation keeps until the thread's exit owns nothing but this box.
private final class Handoff: Sendable {
    private let body: Mutex<(@Sendable () -> Void)?>

    init(_ body: @escaping @Sendable () -> Void) { self.body = Mutex(body) }

    /// Runs the work once and drops it (and what it captured) on return.
    func run() {
        let work = body.withLock { body in
            defer { body = nil }
            return body
        }
        work?()
    }
}
