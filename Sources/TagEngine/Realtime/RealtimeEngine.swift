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
/// - ``expire(at:)``
/// - ``refreshPopulations(at:)``
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
    /// Statistics and expiry times of the live realtime versions, by version id.
    private var marks: [Int64: Mark] = [:]

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
            let asOf = Self.seconds(now)
            marks = Dictionary(uniqueKeysWithValues: ids.map { ($0, Mark(expiredAt: asOf, statsAt: asOf)) })
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
        guard !members.isEmpty else { return RealtimeOutcome() }
        let (context, current) = try checkout()
        defer { checkin(context) }
        let ids = Array(Set(members)).sorted()
        var outcome = RealtimeOutcome()
        outcome.members = ids.count
        _ = try apply(context, current, asOf: Self.seconds(now), trigger: "realtime", in: db, into: &outcome) { _, _, _ in ids }
        return outcome
    }

    /// Re-evaluates realtime tags for exactly the members whose values can
    /// have changed by time alone since the rule's previous expiry (or the
    /// full run that loaded it), with no new data: rows leaving a `within`
    /// window, rows dated in the future coming due, `days_since` crossing a
    /// day boundary (see ``ExpiryScan``). Writes the changes with history in
    /// one transaction (one `expiry` run per tag that changed), then moves each
    /// rule's expiry time to `now`. A rule that fails keeps its previous
    /// expiry time, so the next call covers its interval again.
    ///
    /// After `expire(at: t)` every realtime tag's live value of a member with
    /// no new data equals what a full evaluation at `t` with the same `pop`
    /// gives.
    public func expire(at now: Date = Date()) throws -> RealtimeOutcome {
        let (context, current) = try checkout()
        defer { checkin(context) }
        var outcome = RealtimeOutcome()
        outcome.lags = []
        guard !context.rules.isEmpty else { return outcome }
        let asOf = Self.seconds(now)
        let marks = lock.withLock { self.marks }
        var moments: [Int64: Int64] = [:]
        var evaluated = Set<Int64>()
        var done: [Int64] = []
        let (failed, changedMembers) = try pool.write { db in
            try apply(context, current, asOf: asOf, trigger: "expiry", in: db, into: &outcome) { live, sandbox, changed in
                guard let id = live.version.id, let from = marks[id]?.expiredAt, from < asOf else { return [] }
                done.append(id)
                var found = try ExpiryScan(from: from, to: asOf).members(for: sandbox.rule.features.map(\.spec), in: db)
                // A tag read through m.tags that expiry just changed changes its readers too.
                for dependency in sandbox.rule.dependencies {
                    for member in changed[dependency] ?? [] { found[member] = min(found[member] ?? asOf, moments[member] ?? asOf) }
                }
                for (member, moment) in found { moments[member] = min(moments[member] ?? moment, moment) }
                evaluated.formUnion(found.keys)
                return found.keys.sorted()
            }
        }
        outcome.members = evaluated.count
        outcome.lags = changedMembers.map { Double(asOf - (moments[$0] ?? asOf)) }
        lock.withLock {
            for id in done where !failed.contains(id) {
                if var mark = self.marks[id] {
                    mark.expiredAt = max(mark.expiredAt, asOf)
                    self.marks[id] = mark
                }
            }
        }
        return outcome
    }

    /// Recomputes the population statistics of every realtime rule whose
    /// `pop_refresh` cycle (default `daily`) has a slot after the time its
    /// statistics were taken: a full `realtime-full` run of those rules at
    /// `now`, as at load, together with the realtime rules that read them
    /// through `m.tags`. Realtime evaluation and expiry use the fresh
    /// statistics from then on. Returns the runs' reports (empty when none
    /// was due).
    @discardableResult
    public func refreshPopulations(at now: Date = Date()) throws -> [RunReport] {
        let (context, current) = try checkout()
        defer { checkin(context) }
        let asOf = Self.seconds(now)
        let marks = lock.withLock { self.marks }
        var names = Set(context.rules.filter { live, sandbox in
            guard let id = live.version.id, let mark = marks[id] else { return false }
            let schedule = (try? RefreshSchedule(parsing: sandbox.rule.popRefresh)) ?? Self.defaultPopRefresh
            guard let next = schedule.next(after: Date(timeIntervalSince1970: TimeInterval(mark.statsAt))) else { return false }
            return Int64(next.timeIntervalSince1970) <= asOf
        }.map(\.1.rule.name))
        guard !names.isEmpty else { return [] }
        // A realtime rule reading a refreshed one through m.tags runs with it
        // (rules are in dependency order, so one pass collects the readers of readers).
        for (_, sandbox) in context.rules where !Set(sandbox.rule.dependencies).isDisjoint(with: names) {
            names.insert(sandbox.rule.name)
        }
        let due = context.rules.filter { names.contains($0.1.rule.name) }.map(\.0)
        var stats: [String: PopulationStats] = [:]
        let reports = try TagRunner(pool: pool, limits: limits, pluginsDirectory: pluginsDirectory)
            .run(due, asOf: now, trigger: "realtime-full", progress: nil, isCancelled: { false }) { name, s in stats[name] = s }
        lock.withLock {
            if snapshot.generation == current.generation {
                for (name, s) in stats { snapshot.stats[name] = s }
            }
            // Attempted, succeeded or not: a failing rule is retried at its next slot, not every tick.
            for id in due.compactMap(\.version.id) {
                self.marks[id] = Mark(expiredAt: max(self.marks[id]?.expiredAt ?? asOf, asOf), statsAt: asOf)
            }
        }
        return reports
    }

    /// When each live realtime version's statistics were taken and its values
    /// last brought up to date by time alone (epoch seconds).
    struct Mark: Sendable {
        var expiredAt: Int64
        var statsAt: Int64
    }

    /// The statistics time of each live realtime tag, by name (epoch seconds).
    public var populationTimes: [String: Int64] {
        lock.withLock {
            var times: [String: Int64] = [:]
            for live in snapshot.versions {
                if let id = live.version.id, let mark = marks[id] { times[live.tag.name] = mark.statsAt }
            }
            return times
        }
    }

    static let defaultPopRefresh = (try? RefreshSchedule(parsing: "daily"))!

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// Evaluates each rule of `context` for the members `members` picks
    /// (given the rule and the store ids each tag changed so far in this
    /// pass), each under a savepoint, recording a failed run for a rule that
    /// throws. Returns the version ids of the rules that failed and the store
    /// id of each change appended to `outcome.changes`, in the same order.
    private func apply(
        _ context: RealtimeContext, _ current: RealtimeSnapshot, asOf: Int64, trigger: String, in db: Database,
        into outcome: inout RealtimeOutcome,
        members: ((tag: TagRecord, version: TagVersionRecord), RuleSandbox, [String: [Int64]]) throws -> [Int64]
    ) throws -> (failed: Set<Int64>, changed: [Int64]) {
        let started = Date()
        outcome.tags = current.versions.map(\.tag.name)
        var changedByTag: [String: [Int64]] = [:]
        var failed = Set<Int64>()
        var changed: [Int64] = []
        for (tag, sandbox) in context.rules {
            let ids = try members(tag, sandbox, changedByTag)
            guard !ids.isEmpty else { continue }
            var changes: [(member: Int64, change: RealtimeOutcome.Change)] = []
            do {
                try db.inSavepoint {
                    changes = try RealtimeWriter(
                        sandbox: sandbox, tag: tag, stats: current.stats[sandbox.rule.name], asOf: asOf, trigger: trigger
                    ).apply(members: ids, in: db)
                    return .commit
                }
                outcome.changes += changes.map(\.change)
                changedByTag[sandbox.rule.name] = changes.map(\.member)
                changed += changes.map(\.member)
            } catch {
                if let id = tag.version.id { failed.insert(id) }
                outcome.errors.append("\(error)")
                try db.execute(
                    sql: """
                        INSERT INTO runs(tag_id, version_id, trigger, as_of, started_at, finished_at, status, members, error)
                        VALUES (?, ?, ?, ?, ?, ?, 'failed', ?, ?)
                        """,
                    arguments: [tag.tag.id, tag.version.id, trigger, asOf, started.timeIntervalSince1970,
                                Date().timeIntervalSince1970, ids.count, "\(error)"])
            }
        }
        outcome.seconds = Date().timeIntervalSince(started)
        return (failed, changed)
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
