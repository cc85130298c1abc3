import Foundation
import GRDB
import MemberStore
import Logging
import ServiceLifecycle

/// Keeps write-ahead-log checkpoints and read bookkeeping off the request
/// path: the server's writer does not checkpoint on commit, this service
/// does, once a second, and flushes the tag-read counts; it also writes the
/// refused requests counted in the ``DenialLog`` every
/// ``ServerConfiguration/denialFlushInterval``.
///
/// The store is shared with writers this process does not control (a
/// `tagd import` beside the server), so a busy store is expected: a
/// checkpoint that finds it busy is skipped until the next second, and
/// counts whose write fails are kept for the next flush; neither is logged
/// as a warning.
public struct StoreMaintenance: Service {
    let state: ServerState
    let logger = Logger(label: "tagd.store")

    /// Creates the service for `state`.
    public init(state: ServerState) { self.state = state }

    public func run() async throws {
        let clock = ContinuousClock()
        var lastDenialFlush = clock.now
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            let denials = clock.now - lastDenialFlush >= state.configuration.denialFlushInterval
            if denials { lastDenialFlush = clock.now }
            await tick(flushDenials: denials)
        }
        await tick(flushDenials: true)
    }

    /// Flushes read counts (and, when asked, refused requests) and
    /// checkpoints the WAL (also called at shutdown).
    func tick(flushDenials: Bool = true) async {
        await step("tag-read flush") { try state.reads.flush(into: state.pool) }
        if flushDenials { await step("denied-request flush") { try state.denials.flush(into: state.pool) } }
        await step("WAL checkpoint") { try state.checkpointer.checkpointUnlessBusy() }
    }

    /// Runs one step on the blocking pool; a busy store is retried next
    /// time (debug log), any other error is a warning.
    private func step(_ name: String, _ body: @escaping @Sendable () throws -> Void) async {
        do {
            try await state.blocking(body)
        } catch let error as DatabaseError where Self.isBusy(error) {
            logger.debug("\(name) skipped, store busy: \(error)")
        } catch {
            logger.warning("store maintenance, \(name): \(error)")
        }
    }

    /// Whether `error` is SQLite's busy or locked (another connection holds
    /// the lock longer than the busy timeout).
    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }
}
