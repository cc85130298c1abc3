import Foundation
import Logging
import ServiceLifecycle

/// Keeps write-ahead-log checkpoints and read bookkeeping off the request
/// path: the server's writer does not checkpoint on commit, this service
/// does, once a second, and flushes the tag-read counts.
public struct StoreMaintenance: Service {
    let state: ServerState
    let logger = Logger(label: "tagd.store")

    /// Creates the service for `state`.
    public init(state: ServerState) { self.state = state }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            await tick()
        }
        await tick()
    }

    /// Flushes read counts and checkpoints the WAL (also called at shutdown).
    func tick() async {
        do {
            try await state.blocking {
                try state.reads.flush(into: state.pool)
                try state.checkpointer.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            }
        } catch {
            logger.warning("store maintenance: \(error)")
        }
    }
}
