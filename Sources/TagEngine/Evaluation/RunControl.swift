import Foundation
import GRDB
import Synchronization

/// The runs in flight in this process, and the watchdog that stops them.
///
/// A run of one rule is stopped when it passes its wall-time limit (setting
/// `run_time_limit`), when an operator cancels it in this process (the
/// server's `POST /v1/runs/{id}/cancel`), or when a cancel request is written
/// to its `runs` row by another process (`tagd cancel RUN`): a watchdog
/// thread checks deadlines and the store every quarter second while runs are
/// in flight.
public final class RunControl: Sendable {
    /// The process-wide registry.
    public static let shared = RunControl()

    private struct Watched {
        /// By store file and run id (run ids are per store).
        var tickets: [Key: (ticket: RunTicket, pool: DatabasePool)] = [:]
        var watching = false
        /// A read-only connection per store for the watchdog's polls, so a
        /// pool busy with a run's own readers never delays a cancellation.
        var pollers: [String: DatabaseQueue] = [:]
    }
    private struct Key: Hashable {
        var store: String
        var runID: Int64
    }
    private let watched = Mutex(Watched())

    /// How often the watchdog looks (seconds).
    static let interval: TimeInterval = 0.25

    /// Tracks `ticket` until ``end(_:)``.
    func begin(_ ticket: RunTicket, pool: DatabasePool) {
        let start = watched.withLock { w -> Bool in
            w.tickets[Key(store: pool.path, runID: ticket.runID)] = (ticket, pool)
            defer { w.watching = true }
            return !w.watching
        }
        if start { OwnThread.detach { [self] in watch() } }
    }

    /// Stops tracking `ticket` of the store behind `pool`.
    func end(_ ticket: RunTicket, pool: DatabasePool) {
        _ = watched.withLock { $0.tickets.removeValue(forKey: Key(store: pool.path, runID: ticket.runID)) }
    }

    /// The ticket of run `runID` of the store behind `pool`, if it is in flight in this process.
    public func ticket(_ runID: Int64, pool: DatabasePool) -> RunTicket? {
        watched.withLock { $0.tickets[Key(store: pool.path, runID: runID)]?.ticket }
    }

    /// Asks run `runID` to stop, as `actor` (an operator or above), for `reason`.
    ///
    /// Writes the request to the run's row (so a run in another process sees
    /// it) and stops it at once when it runs in this process. Audited.
    public static func cancel(runID: Int64, actor: String, reason: String?, pool: DatabasePool) throws {
        let why = "cancelled by \(actor)" + (reason.map { ": \($0)" } ?? "")
        try pool.write { db in
            try Users.authorize(actor, needs: .operator, action: "cancel", tag: nil, in: db)
            guard let row = try Row.fetchOne(
                db, sql: "SELECT r.status, t.name FROM runs r JOIN tags t ON t.id = r.tag_id WHERE r.id = ?", arguments: [runID])
            else { throw LifecycleError("no run \(runID)") }
            let status: String = row["status"]
            let tag: String = row["name"]
            guard status == "running" else { throw LifecycleError("run \(runID) of \(tag) is not running (it \(status))") }
            try db.execute(sql: "UPDATE runs SET cancel_requested = ? WHERE id = ?", arguments: [why, runID])
            try AuditLog.append(db, actor: actor, action: "cancel", tag: tag, reason: reason, detail: "run \(runID)")
        }
        shared.ticket(runID, pool: pool)?.stop(why)
    }

    private func poller(for pool: DatabasePool) -> DatabaseQueue? {
        let path = pool.path
        if let queue = watched.withLock({ $0.pollers[path] }) { return queue }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(1)
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        watched.withLock { $0.pollers[path] = queue }
        return queue
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: Self.interval)
            let current = watched.withLock { w -> [(ticket: RunTicket, pool: DatabasePool)]? in
                if w.tickets.isEmpty {
                    w.watching = false
                    w.pollers.removeAll()
                    return nil
                }
                return Array(w.tickets.values)
            }
            guard let current else { return }
            for (ticket, pool) in current {
                if ticket.stopReason != nil { continue }  // also fires the deadline
                guard let poller = poller(for: pool) else { continue }
                let requested = try? poller.read { db in
                    try String.fetchOne(db, sql: "SELECT cancel_requested FROM runs WHERE id = ?", arguments: [ticket.runID])
                }
                if let requested = requested ?? nil { ticket.stop(requested) }
            }
        }
    }
}
