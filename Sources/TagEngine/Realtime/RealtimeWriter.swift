import Foundation
import GRDB

/// Evaluates one realtime rule for a few members and writes the changes,
/// with a `realtime` run row when anything changed.
struct RealtimeWriter {
    let context: RealtimeContext
    let rule: RuleDefinition
    let tag: (tag: TagRecord, version: TagVersionRecord)
    let stats: PopulationStats?
    let asOf: Int64

    init(
        context: RealtimeContext, rule: RuleDefinition, tag: (tag: TagRecord, version: TagVersionRecord),
        stats: PopulationStats?, asOf: Int64
    ) {
        self.context = context
        self.rule = rule
        self.tag = tag
        self.stats = stats
        self.asOf = asOf
    }

    func apply(members: [Int64], in db: Database) throws -> [RealtimeOutcome.Change] {
        guard let tagID = tag.tag.id else { return [] }
        let started = Date()
        let table = try FeatureComputer(asOf: asOf).compute(Set(rule.features.map(\.spec)), in: db, members: members)
        let liveTags = try LiveTagColumns.load(rule.dependencies, table: table, in: db)
        let evaluator = RuleEvaluator(lua: context.lua, rule: rule, table: table, asOf: asOf, liveTags: liveTags)
        var values: [(Int64, String?)] = []
        try evaluator.evaluate(in: db, population: stats) { index, value in values.append((table.memberIDs[index], value)) }
        var probe = try ChangeTracker(tagID: tagID, members: members, in: db)
        guard values.contains(where: { probe.record(member: $0.0, value: $0.1) != nil }) else { return [] }
        try db.execute(
            sql: "INSERT INTO runs(tag_id, version_id, trigger, as_of, started_at, status) VALUES (?, ?, 'realtime', ?, ?, 'running')",
            arguments: [tagID, tag.version.id, asOf, started.timeIntervalSince1970])
        let runID = db.lastInsertedRowID
        var writer = try RunWriter(db: db, tagID: tagID, runID: runID, asOf: asOf, members: members)
        if rule.isSegment, !rule.reach.isEmpty { writer.changes = [] }
        var changes: [RealtimeOutcome.Change] = []
        var externalIDs: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, external_id FROM members WHERE id IN (\(members.map(String.init).joined(separator: ",")))") {
            externalIDs[row[0]] = row[1]
        }
        for (member, value) in values {
            var check = writer.tracker
            if let (change, old) = check.record(member: member, value: value) {
                changes.append(.init(tag: rule.name, member: externalIDs[member] ?? String(member), change: change.rawValue, old: old, new: value))
            }
            try writer.accept(member: member, value: value)
        }
        if let reach = writer.changes {
            try ReachDispatcher(lua: context.lua, plugins: context.plugins, segment: rule, runID: runID, asOf: asOf)
                .dispatch(reach, in: db)
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
