import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import TagEngine

/// Runs every active tag when its refresh cycle says it is due.
///
/// Each tick looks at what is due and starts it without waiting for runs
/// still in flight: due tags run in groups of tags that read one another
/// (`m.tags`, so a reader runs after what it reads), each group on a thread of
/// its own, and a tag never runs twice at once. One slow tag therefore delays
/// no other tag's schedule by more than one tick; it is stopped by its run
/// time limit (setting `run_time_limit`) or by `tagd cancel`. After downtime a
/// missed slot runs once. On graceful shutdown in-flight runs are told to
/// stop: their transactions roll back, nothing is half-written, and the
/// service returns when the rollbacks are done.
public struct TagScheduler: Service {
    let state: ServerState
    let logger = Logger(label: "tagd.scheduler")
    /// Tags with a run in flight.
    private let inFlight = NIOLockedValueBox(Set<String>())

    /// Creates the scheduler for `state`.
    public init(state: ServerState) { self.state = state }

    /// Runs due tags every `schedulerTick` until graceful shutdown, returning once in-flight runs have rolled back.
    public func run() async throws {
        let stopping = NIOLockedValueBox(false)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                while !stopping.withLockedValue({ $0 }) {
                    for batch in await tick() {
                        group.addTask { await run(batch, stopping: stopping) }
                    }
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: state.configuration.schedulerTick) }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            stopping.withLockedValue { $0 = true }
        }
    }

    /// Reloads realtime rules, expires realtime values that time alone
    /// changed, refreshes their population statistics when their
    /// `pop_refresh` slot passed, and returns the due tags not already running,
    /// grouped so that tags reading one another run together.
    func tick() async -> [[String]] {
        let now = state.configuration.clock()
        do {
            await realtimeUpkeep(at: now)
            let due = try await state.blocking { try state.registry.dueTags(at: now).filter { $0.isDue && !$0.isRealtime } }
            let lag = due.compactMap(\.dueSince).map { now.timeIntervalSince1970 - Double($0) }.max() ?? 0
            if !due.isEmpty { state.metrics.schedulerLag(seconds: max(0, lag)) }
            let names = inFlight.withLockedValue { running in due.map(\.name).filter { !running.contains($0) } }
            guard !names.isEmpty else { return [] }
            let live = try await state.blocking { try state.registry.liveVersions(names: names) }
            let batches = DueBatches.split(live.map { ($0.tag.name, RuleDependencies.scan($0.version.source)) })
            inFlight.withLockedValue { running in batches.joined().forEach { running.insert($0) } }
            return batches
        } catch {
            logger.error("scheduler tick failed: \(error)")
            return []
        }
    }

    /// Realtime tags between ingests, on the rule pool: reload after a version
    /// change, expiry (values whose windows lapsed, whose future-dated rows
    /// came due or whose `days_since` crossed a day since the last tick, so a
    /// realtime value is never more than one tick stale), then the population
    /// statistics due by `pop_refresh`.
    private func realtimeUpkeep(at now: Date) async {
        // Expiry before the population refresh: it is cheap and bounds staleness
        // to a tick; a refresh due at the same time is a full run that follows it.
        // Each step is reported on its own, so one failing never hides the other's work.
        await upkeepStep("realtime reload") { try state.realtime.reloadIfNeeded(at: now) }
        do {
            let expiry = try await state.ruleWork { try state.realtime.expire(at: now) }
            state.metrics.expiry(members: expiry.members, lags: expiry.lags ?? [], errors: expiry.errors.count)
            if !expiry.changes.isEmpty || !expiry.errors.isEmpty {
                let lags = (expiry.lags ?? []).sorted()
                let worst = lags.last.map { String(format: ", lag max %.0f s", $0) } ?? ""
                logger.info("realtime expiry: \(expiry.members) members re-evaluated, \(expiry.changes.count) values changed\(worst) in \(String(format: "%.3f", expiry.seconds)) s\(expiry.errors.isEmpty ? "" : ", errors: \(expiry.errors.joined(separator: "; "))")")
            }
        } catch {
            logger.error("realtime expiry failed: \(error)")
        }
        await upkeepStep("realtime population refresh") { try state.realtime.refreshPopulations(at: now) }
    }

    /// Runs one realtime step that yields run reports on the rule pool, and logs them.
    private func upkeepStep(_ name: String, _ body: @escaping @Sendable () throws -> [RunReport]) async {
        do {
            log(try await state.ruleWork(body))
        } catch {
            logger.error("\(name) failed: \(error)")
        }
    }

    /// Runs one batch of due tags on a thread of its own.
    private func run(_ batch: [String], stopping: NIOLockedValueBox<Bool>) async {
        defer { inFlight.withLockedValue { running in batch.forEach { running.remove($0) } } }
        let now = state.configuration.clock()
        do {
            // A run may take long: a thread of its own, not one that answers requests.
            let reports = try await OwnThread.run {
                let live = try state.registry.liveVersions(names: batch)
                let runner = TagRunner(
                    pool: state.pool, limits: state.configuration.limits, pluginsDirectory: state.configuration.pluginsDirectory)
                return try runner.run(live, asOf: now, trigger: "schedule", isCancelled: { stopping.withLockedValue { $0 } })
            }
            log(reports)
        } catch {
            logger.error("scheduled run of \(batch.joined(separator: ", ")) failed: \(error)")
        }
    }

    private func log(_ reports: [RunReport]) {
        for report in reports {
            state.metrics.run(
                status: report.status, trigger: "schedule", seconds: report.seconds, members: report.evaluated ?? report.members,
                kind: report.kind, reasons: report.reasons ?? [:])
            logger.info("\(report.tag): \(report.status) in \(String(format: "%.2f", report.seconds)) s, +\(report.gained) -\(report.lost) ~\(report.changed)\(report.error.map { ": \($0)" } ?? "")")
        }
    }
}
