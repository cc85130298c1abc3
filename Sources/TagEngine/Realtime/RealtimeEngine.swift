import Foundation
import GRDB
import LuaHost

/// Re-evaluates tags whose refresh is `realtime` for the members an ingest
/// touched, inside the ingest's transaction.
///
/// `pop` answers from the population statistics of the tag's last full run,
/// which the engine performs itself whenever the set of live realtime
/// versions changes (at start, after an approval or a retirement).
///
/// Lua states are not thread-safe, so the engine keeps a small pool of
/// evaluation contexts, each with its own `LuaState` holding the realtime
/// rules; a request checks one out, uses it alone, and returns it.
///
/// ## Topics
/// - ``evaluate(members:at:)``
/// - ``reloadIfNeeded(at:)``
public final class RealtimeEngine: @unchecked Sendable {
    /// The store.
    public let pool: DatabasePool
    let limits: LuaLimits
    let pluginsDirectory: URL?
    private let lock = NSLock()
    private var snapshot = RealtimeSnapshot.empty
    private var idle: [RealtimeContext] = []
    /// The live version ids of all active tags when the snapshot was last checked.
    private var liveFingerprint: String?

    /// Creates an engine; call ``reloadIfNeeded(at:)`` before the first ingest.
    public init(pool: DatabasePool, limits: LuaLimits = .default, pluginsDirectory: URL? = nil) {
        self.pool = pool
        self.limits = limits
        self.pluginsDirectory = pluginsDirectory
    }

    /// Names of the live realtime tags the engine evaluates.
    public var tags: [String] { lock.withLock { snapshot.versions.map(\.tag.name) } }

    /// The live realtime versions in the store, by tag name.
    func liveRealtimeVersions() throws -> [(tag: TagRecord, version: TagVersionRecord)] {
        try TagRegistry(pool: pool).liveVersions().filter { live in
            (try? RefreshSchedule(parsing: live.version.refresh ?? ""))?.isRealtime == true
        }
    }

    /// Runs the realtime tags in full and takes their statistics when the set
    /// of live realtime versions changed since the last time. Returns the
    /// full runs' reports (empty when nothing changed).
    @discardableResult
    public func reloadIfNeeded(at now: Date = Date()) throws -> [RunReport] {
        // Cheap check first (every ingest calls this): did any live version change?
        let fingerprint = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT group_concat(live_version_id) FROM (SELECT live_version_id FROM tags WHERE state = 'active' ORDER BY id)")
        } ?? ""
        if lock.withLock({ liveFingerprint == fingerprint }) { return [] }
        let live = try liveRealtimeVersions()
        let ids = live.compactMap(\.version.id)
        if lock.withLock({ snapshot.versionIDs == ids }) {
            lock.withLock { liveFingerprint = fingerprint }
            return []
        }
        var stats: [String: PopulationStats] = [:]
        let reports = try TagRunner(pool: pool, limits: limits, pluginsDirectory: pluginsDirectory)
            .run(live, asOf: now, trigger: "realtime-full", progress: nil, isCancelled: { false }) { name, s in stats[name] = s }
        lock.withLock {
            liveFingerprint = fingerprint
            snapshot = RealtimeSnapshot(
                generation: snapshot.generation + 1, versionIDs: ids, versions: live, stats: stats)
            idle.removeAll()
        }
        return reports
    }

    /// Re-evaluates every realtime tag for store members `members` as of `now`
    /// and writes what changed (one `realtime` run per tag that changed), in
    /// a transaction of its own.
    public func evaluate(members: [Int64], at now: Date = Date()) throws -> RealtimeOutcome {
        try pool.write { db in try evaluate(members: members, at: now, in: db) }
    }

    /// Re-evaluates every realtime tag for `members` inside the caller's
    /// transaction (the ingest's). Each rule runs under a savepoint: a rule
    /// that fails rolls back only its own changes, is recorded as a failed
    /// `realtime` run, and never undoes the ingest.
    public func evaluate(members: [Int64], at now: Date, in db: Database) throws -> RealtimeOutcome {
        let started = Date()
        var outcome = RealtimeOutcome()
        guard !members.isEmpty else { return outcome }
        let (context, current) = try checkout()
        defer { checkin(context) }
        outcome.tags = current.versions.map(\.tag.name)
        guard !context.rules.isEmpty else { return outcome }
        let asOf = Int64(now.timeIntervalSince1970.rounded(.down))
        let ids = Array(Set(members)).sorted()
        outcome.members = ids.count
        for (tag, sandbox) in context.rules {
            var changes: [RealtimeOutcome.Change] = []
            do {
                try db.inSavepoint {
                    changes = try RealtimeWriter(sandbox: sandbox, tag: tag, stats: current.stats[sandbox.rule.name], asOf: asOf)
                        .apply(members: ids, in: db)
                    return .commit
                }
                outcome.changes += changes
            } catch {
                outcome.errors.append("\(error)")
                try db.execute(
                    sql: """
                        INSERT INTO runs(tag_id, version_id, trigger, as_of, started_at, finished_at, status, members, error)
                        VALUES (?, ?, 'realtime', ?, ?, ?, 'failed', ?, ?)
                        """,
                    arguments: [tag.tag.id, tag.version.id, asOf, started.timeIntervalSince1970,
                                Date().timeIntervalSince1970, ids.count, "\(error)"])
            }
        }
        outcome.seconds = Date().timeIntervalSince(started)
        return outcome
    }

    private func checkout() throws -> (RealtimeContext, RealtimeSnapshot) {
        let (reused, current) = lock.withLock { (idle.popLast(), snapshot) }
        if let reused, reused.generation == current.generation { return (reused, current) }
        return (try RealtimeContext(snapshot: current, limits: limits, pluginsDirectory: pluginsDirectory), current)
    }

    private func checkin(_ context: RealtimeContext) {
        lock.withLock {
            if context.generation == snapshot.generation, idle.count < 8 { idle.append(context) }
        }
    }
}
