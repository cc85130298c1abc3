import Foundation
import GRDB

/// Evaluates one realtime rule for a few members and writes the changes,
/// with a run row (trigger `realtime`, or `expiry` when time alone moved a
/// window) when anything changed.
struct RealtimeWriter {
    let sandbox: RuleSandbox
    var rule: RuleDefinition { sandbox.rule }
    let tag: (tag: TagRecord, version: TagVersionRecord)
    let stats: PopulationStats?
    let asOf: Int64
    let trigger: String

    init(
        sandbox: RuleSandbox, tag: (tag: TagRecord, version: TagVersionRecord), stats: PopulationStats?, asOf: Int64,
        trigger: String = "realtime"
    ) {
        self.sandbox = sandbox
        self.tag = tag
        self.stats = stats
        self.asOf = asOf
        self.trigger = trigger
    }

    /// The changes, each with the member's store id.
    func apply(members: [Int64], in db: Database) throws -> [(member: Int64, change: RealtimeOutcome.Change)] {
        guard let tagID = tag.tag.id else { return [] }
        let started = Date()
        let table = try FeatureComputer(asOf: asOf).compute(Set(rule.features.map(\.spec)), in: db, members: members)
        let liveTags = try LiveTagColumns.load(rule.dependencies, table: table, in: db)
        let evaluator = RuleEvaluator(lua: sandbox.lua, rule: rule, table: table, asOf: asOf, liveTags: liveTags)
        var values: [(Int64, String?)] = []
        try evaluator.evaluate(in: db, population: stats) { index, value in values.append((table.memberIDs[index], value)) }
        // The run row goes in first (history rows point at it) and comes out
        // again when nothing changed, which is the common case.
        try db.execute(
            sql: "INSERT INTO runs(tag_id, version_id, trigger, as_of, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')",
            arguments: [tagID, tag.version.id, trigger, asOf, started.timeIntervalSince1970])
        let runID = db.lastInsertedRowID
        var writer = try RunWriter(db: db, tagID: tagID, runID: runID, asOf: asOf, members: members)
        if rule.isSegment, !rule.reach.isEmpty { writer.changes = [] }
        var changed: [(member: Int64, change: ChangeTracker.Change, old: String?, new: String?)] = []
        for (member, value) in values {
            if let (change, old) = try writer.accept(member: member, value: value) {
                changed.append((member, change, old, value))
            }
        }
        guard !changed.isEmpty else {
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [runID])
            return []
        }
        var externalIDs: [Int64: String] = [:]
        let ids = changed.map { String($0.member) }.joined(separator: ",")
        for row in try Row.fetchAll(db, sql: "SELECT id, external_id FROM members WHERE id IN (\(ids))") {
            externalIDs[row[0]] = row[1]
        }
        let changes = changed.map {
            ($0.member, RealtimeOutcome.Change(
                tag: rule.name, member: externalIDs[$0.member] ?? String($0.member), change: $0.change.rawValue, old: $0.old, new: $0.new))
        }
        if let reach = writer.changes {
            sandbox.prepareHooks()
            try ReachDispatcher(
                lua: sandbox.lua, plugins: sandbox.plugins, segment: rule, runID: runID, asOf: asOf, snapshot: sandbox.snapshot
            ).dispatch(reach, in: db)
        }
        let t = writer.tracker
        try db.execute(
            sql: """
                UPDATE runs SET finished_at = ?, status = 'succeeded', members = ?, covered = ?, gained = ?, lost = ?, changed = ?
                WHERE id = ?
                """,
            arguments: [Date().timeIntervalSince1970, t.members, t.covered, t.gained, t.lost, t.changed, runID])
        return changes
    }
}
