import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import TagEngine

/// Runs every active tag when its refresh cycle says it is due.
///
/// One loop, so a tag never runs twice at once; due tags of one tick run
/// together (their features are computed in one pass). After downtime a
/// missed slot runs once. On graceful shutdown an in-flight run is told to
/// stop: its transaction rolls back, nothing is half-written, and the
/// service returns when the rollback is done.
public struct TagScheduler: Service {
    let state: ServerState
    let logger = Logger(label: "tagd.scheduler")

    /// Creates the scheduler for `state`.
    public init(state: ServerState) { self.state = state }

    /// Runs due tags every `schedulerTick` until graceful shutdown, returning once an in-flight run has rolled back.
    public func run() async throws {
        let stopping = NIOLockedValueBox(false)
        await withGracefulShutdownHandler {
            while !stopping.withLockedValue({ $0 }) {
                await tick(stopping: stopping)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: state.configuration.schedulerTick) }
            }
        } onGracefulShutdown: {
            stopping.withLockedValue { $0 = true }
        }
    }

    /// Runs what is due now (also called directly by tests).
    func tick(stopping: NIOLockedValueBox<Bool>) async {
        let now = state.configuration.clock()
        do {
            let reports = try await state.blocking { () -> [RunReport] in
                let realtime = try state.realtime.reloadIfNeeded(at: now)
                let due = try state.registry.dueTags(at: now).filter { $0.isDue && !$0.isRealtime }
                guard !due.isEmpty else { return realtime }
                let lag = due.compactMap(\.dueSince).map { now.timeIntervalSince1970 - Double($0) }.max() ?? 0
                state.metrics.schedulerLag(seconds: max(0, lag))
                let live = try state.registry.liveVersions(names: due.map(\.name))
                let runner = TagRunner(
                    pool: state.pool, limits: state.configuration.limits, pluginsDirectory: state.configuration.pluginsDirectory)
                return realtime + (try runner.run(live, asOf: now, trigger: "schedule", isCancelled: { stopping.withLockedValue { $0 } }))
            }
            for report in reports {
                state.metrics.run(status: report.status, trigger: "schedule", seconds: report.seconds, members: report.members)
                logger.info("\(report.tag): \(report.status) in \(String(format: "%.2f", report.seconds)) s, +\(report.gained) -\(report.lost) ~\(report.changed)\(report.error.map { ": \($0)" } ?? "")")
            }
        } catch {
            logger.error("scheduler tick failed: \(error)")
        }
    }
}
