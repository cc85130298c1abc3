import Foundation

/// Runs blocking work that may take long (a rule run, a plugin hook) on a
/// new thread of its own, so it never holds a thread of Swift's cooperative
/// pool or of a pool that answers requests.
public enum OwnThread {
    /// Runs `body` on a new thread and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
