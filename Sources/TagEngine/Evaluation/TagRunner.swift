import Foundation
import GRDB
import MemberStore
import LuaHost

#if canImport(Glibc)
import Glibc
#endif

/// Evaluates approved rule versions over the member store and writes what changed.
///
/// A run computes the features of all its rules together (one grouped query
/// per source table), then evaluates each rule in its own transaction: a rule
/// that fails on any member leaves its live values untouched and is recorded
/// as a failed run, while the other rules still commit.
///
/// ## Topics
///
/// ### Creating a Runner
///
/// - ``init(pool:limits:pluginsDirectory:)``
/// - ``pool``
/// - ``limits``
/// - ``pluginsDirectory``
///
/// ### Running and Planning
///
/// - ``run(_:asOf:trigger:progress:isCancelled:)``
/// - ``Progress``
/// - ``RunReport``
/// - ``plan(source:file:tagName:asOf:)``
/// - ``PlanReport``
public struct TagRunner: Sendable {
    /// The store.
    public let pool: DatabasePool
    /// Caps for every rule call.
    public let limits: LuaLimits
    /// Where `require` looks.
    public let pluginsDirectory: URL?

    /// Creates a runner.
    public init(pool: DatabasePool, limits: LuaLimits = .default, pluginsDirectory: URL? = nil) {
        self.pool = pool
        self.limits = limits
        self.pluginsDirectory = pluginsDirectory
    }

    /// Drops every tag's snapshot, so that each tag's next run is a full one
    /// (benchmarks that time a first run).
    public func forgetSnapshots() throws {
        try pool.write { db in try FeatureSnapshot.delete(tagID: nil, in: db) }
    }

    /// Progress of a run, reported per rule and every 100,000 members.
    public struct Progress: Sendable {
        /// The rule's tag name, or `*` for the shared feature pass.
        public var tag: String
        /// Members evaluated so far (0 in the `features` phase).
        public var done: Int
        /// Members to evaluate (in the `features` phase: rules in the run).
        public var total: Int
        /// `features` (computing every rule's features), `evaluate` or `done`.
        public var phase: String
    }

    /// Runs the live versions `versions` at `asOf`.
    ///
    /// - Parameters:
    ///   - full: evaluate every member from freshly computed features.
    ///   - refit: fit the model features again even inside their `refit` cycle.
    ///   - isCancelled: checked every 256 members; when it says yes the
    ///     rule's transaction rolls back and the run is recorded as failed.
    public func run(
        _ versions: [(tag: TagRecord, version: TagVersionRecord)], asOf: Date, trigger: String, full: Bool = false,
        refit: Bool = false, progress: (@Sendable (Progress) -> Void)? = nil,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> [RunReport] {
        try run(
            versions, asOf: asOf, trigger: trigger, full: full, refit: refit, progress: progress, isCancelled: isCancelled,
            onStats: nil)
    }

    /// ``run(_:asOf:trigger:progress:isCancelled:)``, also handing each
    /// successful rule's population statistics to `onStats` (realtime
    /// evaluation keeps them to answer `pop` between full runs).
    func run(
        _ versions: [(tag: TagRecord, version: TagVersionRecord)], asOf: Date, trigger: String, full: Bool = false,
        refit: Bool = false, progress: (@Sendable (Progress) -> Void)?, isCancelled: @escaping @Sendable () -> Bool,
        onStats: ((String, PopulationStats) -> Void)?
    ) throws -> [RunReport] {
        let asOfSeconds = Int64(asOf.timeIntervalSince1970.rounded(.down))
        var reports: [RunReport] = []
        var loaded: [LoadedRule] = []
        for (tag, version) in versions {
            do {
                // The approved version runs with the library sources approved with it.
                let sandbox = try RuleSandbox(version: version, limits: limits, pluginsDirectory: pluginsDirectory)
                loaded.append(LoadedRule(tag: tag, version: version, sandbox: sandbox))
            } catch {
                reports.append(try recordFailure(tag: tag, version: version, asOf: asOfSeconds, trigger: trigger, error: "\(error)", started: Date()))
            }
        }
        loaded = try RunOrder.sort(loaded, name: \.rule.name, dependencies: \.rule.dependencies)
        progress?(Progress(tag: "*", done: 0, total: loaded.count, phase: "features"))
        // The change-log mark comes first: whatever changes after it is seen again next time.
        let changeMark = try pool.read { db in try FeatureSnapshot.marks(in: db).change }
        // Rules without a usable snapshot share one full feature pass, made only if needed.
        let features = Dictionary(loaded.map { ($0.rule.name, RulePass.specs(of: $0.rule)) }, uniquingKeysWith: { a, _ in a })
        let expectFull = try Self.expectFull(loaded, full: full, refit: refit, in: pool)
        ProcessMemory.prepare(for: expectFull.isEmpty ? .patching : .fullPass)
        let count = loaded.count
        let fresh = FreshFeatures(features: features)
        let shared = SharedTable(features: features, expected: expectFull) { [pool] features in
            let table = try FeatureComputer(asOf: asOfSeconds).computeConcurrently(features, pool: pool)
            progress?(Progress(tag: "*", done: 0, total: count, phase: "evaluate"))  // the full feature pass is done
            return table
        }
        // Rules evaluate side by side, level by level: a rule waits only for
        // the rules of this run whose tags it reads. Each worker plans,
        // evaluates and writes one rule, so at most one rule per core holds
        // its features at a time.
        let limit = try pool.read { db in Int(try Settings.value(.runTimeLimit, in: db)) ?? 3600 }
        for unordered in RunLevels.split(loaded) {
            // The rules that need the full pass first, so that it is let go before the rest run.
            let level = unordered.filter { expectFull.contains($0.rule.name) } + unordered.filter { !expectFull.contains($0.rule.name) }
            let started = Date()
            let tickets = try level.map { item in
                try begin(item, asOf: asOfSeconds, trigger: trigger, started: started, limitSeconds: limit)
            }
            defer { tickets.forEach { RunControl.shared.end($0, pool: pool) } }
            // Read after the levels before it wrote: their changes are this level's dependencies.
            let marks = (change: changeMark, history: try pool.read { db in try FeatureSnapshot.marks(in: db).history })
            let outcomes = Results<(RunReport, PopulationStats?)>(count: level.count)
            let keepStats = onStats != nil
            let items = UncheckedBox(level)
            DispatchQueue.concurrentPerform(iterations: level.count) { i in
                let item = items.value[i]
                let ticket = tickets[i]
                defer {
                    shared.finished(item.rule.name)
                    fresh.finished(item.rule.name)
                }
                outcomes.set(i, Result {
                    do {
                        let (report, stats) = try runOne(
                            item, ticket: ticket, marks: marks, full: full, refit: refit, shared: shared, fresh: fresh,
                            asOf: asOfSeconds, started: started, progress: progress, isCancelled: isCancelled)
                        // Statistics hold the rule's whole feature table: kept only for a caller that asked.
                        return (report, keepStats ? stats : nil)
                    } catch {
                        let stopped = ticket.stopReason.map { RunError.stopped(name: item.rule.name, reason: $0) }
                        let report = try recordFailure(
                            tag: item.tag, version: item.version, asOf: asOfSeconds, trigger: trigger,
                            error: "\(stopped.map { $0 as any Error } ?? error)", started: started, runID: ticket.runID,
                            status: stopped == nil ? "failed" : "cancelled")
                        return (report, nil)
                    }
                })
            }
            for (item, outcome) in zip(level, outcomes.all) {
                let (report, stats) = try outcome.get()
                reports.append(report)
                if let stats { onStats?(item.rule.name, stats) }
            }
        }
        try pool.write { db in try FeatureSnapshot.pruneChangeLog(in: db) }
        // The run's pages go to the database file now, not in the next writer's
        // commit: each run pays for its own writes, and the WAL stays small.
        // A checkpoint already under way elsewhere does the same work.
        try pool.checkpointUnlessBusy()
        // A full pass allocated a column per feature and member: give it back.
        if shared.wasComputed { ProcessMemory.returnFreed() }
        return reports
    }

    /// The rules that will run in full: all with `--full`, else those
    /// refitting their models and those whose stored snapshot is missing or
    /// of another version (a cheap look at each header; other reasons to run
    /// in full show only later).
    static func expectFull(_ rules: [LoadedRule], full: Bool, refit: Bool, in pool: DatabasePool) throws -> Set<String> {
        if full { return Set(rules.map(\.rule.name)) }
        // One read of every stored snapshot's version, not one per rule.
        let stored = try pool.read { db in
            try Dictionary(
                Row.fetchAll(db, sql: "SELECT tag_id, version_id FROM feature_snapshots").map { ($0[0] as Int64, $0[1] as Int64) },
                uniquingKeysWith: { a, _ in a })
        }
        return Set(rules.filter { item in
            (refit && !item.rule.models.isEmpty) || item.tag.id.flatMap { stored[$0] } != item.version.id
        }.map(\.rule.name))
    }

    /// Plans, evaluates and writes one rule of a level (on a worker thread).
    private func runOne(
        _ item: LoadedRule, ticket: RunTicket, marks: (change: Int64, history: Int64), full: Bool, refit: Bool,
        shared: SharedTable, fresh: FreshFeatures, asOf: Int64, started: Date, progress: (@Sendable (Progress) -> Void)?,
        isCancelled: @escaping @Sendable () -> Bool
    ) throws -> (RunReport, PopulationStats?) {
        let rule = item.rule
        var fits: ModelFits?
        if !rule.models.isEmpty, !refit, let tagID = item.tag.id, let versionID = item.version.id {
            fits = try pool.read { db in
                try ModelFits.usable(tagID: tagID, versionID: versionID, refit: rule.refit, asOf: asOf, in: db)
            }
        }
        // A rule that reads neither `pop` nor the clock, and predicts with a
        // fit it may keep, needs only the changed members' features.
        let readsPop = item.sandbox.lua.parameterCount(rule.evaluate) >= 2
        let readsClock = LuaSource.mentions("as_of", in: item.version.source)
        let keepsFit = rule.models.isEmpty || fits != nil
        // A refit moves every prediction: rules with model features then run in full.
        let incremental = full || (refit && !rule.models.isEmpty) ? nil : try pool.read { db in
            try RulePass.incremental(
                rule: rule, tagID: item.tag.id ?? 0, versionID: item.version.id ?? 0, asOf: asOf, marks: marks,
                clockSensitive: !rule.models.isEmpty || readsClock, partial: !readsPop && !readsClock && keepsFit, fresh: fresh,
                in: db)
        }
        var pass: RulePass
        if let incremental {
            pass = incremental
        } else {
            let table = try shared.get()
            pass = RulePass(kind: "full", table: table, changed: nil, previous: nil, reasons: ["full": table.count], marks: marks)
        }
        pass.fits = fits
        // The snapshot's recording goes to the evaluation alone, which patches it where it lies.
        let recording = pass.takeRecording()
        let values = try evaluate(
            source: item.version.source, file: item.version.file, modules: item.version.moduleSources, pass: pass,
            recording: consume recording, asOf: asOf, ticket: ticket, progress: progress, isCancelled: isCancelled)
        let writing = Date()
        var report = try pool.write { db in
            try write(values, for: item, runID: ticket.runID, asOf: asOf, started: started, in: db)
        }
        report.writeSeconds = Date().timeIntervalSince(writing)
        report.evaluateSeconds = values.seconds
        report.seconds = values.seconds + (report.writeSeconds ?? 0)
        progress?(Progress(tag: item.rule.name, done: pass.members, total: pass.members, phase: "done"))
        return (report, values.stats)
    }

    /// Writes one rule's values: only changed members, with history, in the
    /// caller's transaction; a segment's reach hooks run here too.
    private func write(
        _ values: RuleValues, for item: LoadedRule, runID: Int64, asOf: Int64, started: Date, in db: Database
    ) throws -> RunReport {
        let rule = item.rule
        let table = values.pass.table
        guard let tagID = item.tag.id, let versionID = item.version.id else { throw RunError.store("tag without id") }
        let indexes = values.evaluated ?? Array(0..<table.count)
        // Up to 100,000 members: load just their live values (an IN list of
        // 30,000 ids took 35 ms where all 600,000 live values of a tag took 85 ms).
        let subset = values.evaluated.map { $0.count <= 100_000 ? $0.map { table.memberIDs[$0] } : nil } ?? nil
        // The counts behind the top values, read before this run writes history.
        let incremental = values.evaluated != nil
        let kept = incremental ? try TagDistribution.load(tagID: tagID, in: db) : .none
        var writer = try RunWriter(db: db, tagID: tagID, runID: runID, asOf: asOf, members: subset)
        if rule.isSegment, !rule.reach.isEmpty { writer.changes = [] }
        // Every index a run writes is keyed by tag first (v11), so even a first
        // run's million rows sweep each B-tree in order: a small page cache is
        // enough (16 MiB wrote rfm_class and rfm_score's 1.26M rows as fast as
        // 128 MiB did, with 140 MB less resident).
        try db.execute(sql: "PRAGMA cache_size = -16384")
        for index in indexes {
            let code = values.codes[index]
            try writer.accept(member: table.memberIDs[index], value: code < 0 ? nil : values.words[Int(code)])
        }
        if let changes = writer.changes {
            // Hooks run what the segment's version froze: its plugins and their libraries.
            let sandbox = item.sandbox
            sandbox.prepareHooks()
            try ReachDispatcher(
                lua: sandbox.lua, plugins: sandbox.plugins, segment: rule, runID: runID, asOf: asOf, snapshot: sandbox.snapshot
            ).dispatch(changes, in: db)
        }
        let t = writer.tracker
        // The features this run computed, for the next run to start from; in
        // the same transaction as the values, so they never disagree.
        let covered = incremental ? (values.pass.previous?.covered ?? 0) + t.gained - t.lost : t.covered
        // Only this rule's own columns (a full pass shares one table between rules).
        var own = FeatureTable(memberIDs: table.memberIDs, columns: [:])
        for spec in RulePass.specs(of: rule) { own.columns[spec] = table.column(spec) }
        let snapshot = FeatureSnapshot(
            tagID: tagID, versionID: versionID, asOf: asOf, changeMark: values.pass.marks.change,
            historyMark: values.pass.marks.history, table: own, mask: values.mask, covered: covered, recording: values.recording,
            fits: values.fits)
        if values.pass.changed?.isEmpty == true {
            try snapshot.advance(in: db)  // no member's features moved: only the marks
        } else if let indexes = Self.rowsToWrite(values) {
            try snapshot.advance(in: db)  // the members that changed: one row each
            try SnapshotRows.save(tagID: tagID, indexes: indexes, table: own, mask: values.mask, recording: values.recording, in: db)
        } else {
            try snapshot.save(in: db)
        }
        // The top values from what is kept and this run's changes, else from a count of the live values.
        var top: [RunReport.ValueCount]?
        switch (incremental, kept) {
        case (false, _):
            try TagDistribution.save(t.distribution, live: covered, tagID: tagID, in: db)
            top = TagDistribution.top(t.distribution)
        case (true, .counts(let counted)):
            let counts = counted.merging(t.delta, uniquingKeysWith: +).filter { $0.value > 0 }
            try TagDistribution.save(counts, live: covered, tagID: tagID, in: db)
            top = TagDistribution.top(counts)
        case (true, .top(let kept)):
            if let (updated, values) = try kept.updated(by: t.delta, tagID: tagID, in: db) {
                try TagDistribution.save(.top(updated), live: covered, tagID: tagID, in: db)
                top = values
            }
        case (true, .none):
            break
        }
        if top == nil {
            let counts = try TagDistribution.count(tagID: tagID, in: db)
            try TagDistribution.save(counts, live: covered, tagID: tagID, in: db)
            top = TagDistribution.top(counts)
        }
        let kind = values.pass.kind
        let reasons = values.reasons.filter { $0.value > 0 }
        let reasonsJSON = String(decoding: try JSONEncoder().encode(reasons), as: UTF8.self)
        let finished = Date()
        try db.execute(
            sql: """
                UPDATE runs SET finished_at = ?, status = 'succeeded', members = ?, covered = ?, gained = ?, lost = ?, changed = ?,
                kind = ?, evaluated = ?, reasons = ? WHERE id = ?
                """,
            arguments: [
                finished.timeIntervalSince1970, values.pass.members, covered, t.gained, t.lost, t.changed, kind, indexes.count, reasonsJSON,
                runID,
            ])
        return RunReport(
            tag: rule.name, runID: runID, status: "succeeded", members: values.pass.members, covered: covered, gained: t.gained,
            lost: t.lost, changed: t.changed, seconds: finished.timeIntervalSince(started), topValues: top ?? [], error: nil,
            kind: kind, evaluated: indexes.count, reasons: reasons)
    }

    /// The members whose snapshot rows an incremental run writes instead of
    /// a new snapshot (``SnapshotRows``), or `nil` when it must write a new
    /// one: other members, another layout, moved constants, or rows that
    /// would cover more than an eighth of the members.
    static func rowsToWrite(_ values: RuleValues) -> [Int]? {
        let pass = values.pass
        if pass.isPartial { return Array(0..<pass.table.count) }  // the pass holds only them, within the bound
        guard let previous = pass.previous, let changed = pass.changed, pass.previousIDs == nil,
            (values.mask == nil) == (previous.mask == nil), values.recording?.constants == pass.previousConstants
        else { return nil }
        let indexes = values.evaluated.map { Set($0).union(changed).sorted() } ?? Array(0..<pass.table.count)
        guard SnapshotRows.fit(previous.rows, adding: indexes.count, members: pass.table.count) else { return nil }
        return indexes
    }

    /// Records rule `item` as running (its `runs` row, visible to `tagd cancel`)
    /// and tracks it with the process's ``RunControl``.
    private func begin(_ item: LoadedRule, asOf: Int64, trigger: String, started: Date, limitSeconds: Int) throws -> RunTicket {
        let runID = try pool.write { db -> Int64 in
            try db.execute(
                sql: "INSERT INTO runs(tag_id, version_id, trigger, as_of, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')",
                arguments: [item.tag.id, item.version.id, trigger, asOf, started.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
        let ticket = RunTicket(runID: runID, tag: item.rule.name, limitSeconds: limitSeconds, now: started)
        RunControl.shared.begin(ticket, pool: pool)
        return ticket
    }

    private func recordFailure(
        tag: TagRecord, version: TagVersionRecord, asOf: Int64, trigger: String, error: String, started: Date,
        runID existing: Int64? = nil, status: String = "failed"
    ) throws -> RunReport {
        let finished = Date()
        let runID = try pool.write { db -> Int64 in
            if let existing {
                try db.execute(
                    sql: "UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE id = ?",
                    arguments: [finished.timeIntervalSince1970, status, error, existing])
                return existing
            }
            try db.execute(
                sql: """
                    INSERT INTO runs(tag_id, version_id, trigger, as_of, started_at, finished_at, status, error)
                    VALUES (?, ?, ?, ?, ?, ?, 'failed', ?)
                    """,
                arguments: [tag.id, version.id, trigger, asOf, started.timeIntervalSince1970, finished.timeIntervalSince1970, error])
            return db.lastInsertedRowID
        }
        return RunReport(
            tag: tag.name, runID: runID, status: status, members: 0, covered: 0, gained: 0, lost: 0, changed: 0,
            seconds: finished.timeIntervalSince(started), topValues: [], error: error)
    }
}
