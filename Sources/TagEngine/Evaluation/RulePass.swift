import Foundation
import GRDB

/// How one rule of a run gets its features and which members it must
/// evaluate: everyone (a full pass), or, from the tag's last snapshot, only
/// the members whose inputs changed.
struct RulePass: @unchecked Sendable {
    /// `full` or `incremental`.
    var kind: String
    /// Features of every member (the rule's, plus the raw timestamps behind `days_since`).
    var table: FeatureTable
    /// Indexes of the members whose inputs changed, ascending (`nil`: a full pass).
    var changed: [Int]?
    /// The snapshot it started from (incremental passes), without its table:
    /// the pass patched that table in place into ``table``.
    var previous: FeatureSnapshot?
    /// The snapshot's members, when they differ from ``table``'s (new members
    /// joined); `nil` when they are the same.
    var previousIDs: ContiguousArray<Int64>?
    /// Whether the features of any changed member differ from the
    /// snapshot's (so population statistics may differ too); true for a full pass.
    var featuresMoved = true
    /// The stored model fits the run may predict with (``ModelFits/usable(tagID:versionID:refit:asOf:in:)``);
    /// `nil` when it must fit again: none, the `refit` cycle turned, or `tagd run --refit`.
    var fits: ModelFits?
    /// Members re-computed or re-evaluated, by reason.
    var reasons: [String: Int]
    /// The marks the pass has seen (saved with its snapshot).
    var marks: (change: Int64, history: Int64)
    /// The members of the store the pass covers (`table` may hold none of
    /// them when nothing changed: the snapshot's data is never read then).
    var members: Int
    /// The constants of the snapshot's recording (`nil`: it had none), kept
    /// when ``takeRecording()`` took the recording out.
    var previousConstants: [PopRecording.Constant]?
    /// Whether ``table`` holds only the changed members (a rule that reads
    /// neither `pop` nor the clock needs nothing else): the snapshot's data
    /// is never read, and the run writes a row per member (``SnapshotRows``).
    var isPartial = false

    init(
        kind: String, table: FeatureTable, changed: [Int]?, previous: FeatureSnapshot?, reasons: [String: Int],
        marks: (change: Int64, history: Int64), members: Int? = nil
    ) {
        self.kind = kind
        self.table = table
        self.changed = changed
        self.previous = previous
        self.reasons = reasons
        self.marks = marks
        self.members = members ?? table.count
    }

    /// Every feature a rule's snapshot holds.
    static func specs(of rule: RuleDefinition) -> Set<FeatureSpec> {
        var specs = Set(rule.features.map(\.spec))
        for feature in rule.features { if let raw = feature.spec.rawTimestamp { specs.insert(raw) } }
        for feature in rule.models { specs.formUnion(feature.model.inputs) }
        return specs
    }

    /// The incremental pass of `rule` (tag `tagID`, live version `versionID`)
    /// at `asOf`, or `nil` when the rule must run in full: no usable snapshot
    /// (first run, new version, unreadable), an as-of earlier than the last
    /// run's, or so many changed members that a full pass is cheaper.
    /// `clockSensitive`: the rule's values can move with the as-of alone
    /// (it reads `pop.as_of`, or has model features), so its data is always read
    /// when the as-of moved. `partial`: the rule's values depend on each
    /// member's own features only (no `pop`, no fit to redo), so a pass over
    /// just the changed members will do (``isPartial``). `fresh` shares the
    /// changed members' features with the other rules of the run.
    static func incremental(
        rule: RuleDefinition, tagID: Int64, versionID: Int64, asOf: Int64, marks: (change: Int64, history: Int64),
        clockSensitive: Bool, partial: Bool = false, fresh: FreshFeatures? = nil, in db: Database
    ) throws -> RulePass? {
        let specs = specs(of: rule)
        guard let (snapshot, members) = try FeatureSnapshot.header(tagID: tagID, in: db), snapshot.versionID == versionID,
            asOf >= snapshot.asOf
        else { return nil }
        var reasons: [String: Int] = [:]
        let data = Set(try Int64.fetchAll(
            db, sql: "SELECT DISTINCT member_id FROM change_log WHERE id > ? AND id <= ?",
            arguments: [snapshot.changeMark, marks.change]))
        reasons["changed data"] = data.count
        let time = try lapsed(specs, from: snapshot.asOf, to: asOf, in: db).subtracting(data)
        reasons["window expiry"] = time.count
        var dependency: Set<Int64> = []
        if !rule.dependencies.isEmpty {
            let marksSQL = rule.dependencies.map { _ in "?" }.joined(separator: ",")
            dependency = Set(try Int64.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT h.member_id FROM tag_history h JOIN tags t ON t.id = h.tag_id
                    WHERE t.name IN (\(marksSQL)) AND h.id > ? AND h.id <= ?
                    """,
                arguments: StatementArguments(rule.dependencies + [snapshot.historyMark, marks.history])))
        }
        let recompute = data.union(time)
        // Nothing to do: the snapshot's data is not even read.
        let clockMatters = clockSensitive || specs.contains { $0.rawTimestamp != nil }
        if recompute.isEmpty, dependency.isEmpty, asOf == snapshot.asOf || !clockMatters {
            var pass = RulePass(
                kind: "incremental", table: snapshot.table, changed: [], previous: snapshot, reasons: reasons, marks: marks,
                members: members)
            pass.featuresMoved = false
            return pass
        }
        // Day counts need everyone's raw timestamps when the clock moved.
        if partial, asOf == snapshot.asOf || !clockMatters,
            var pass = try partialPass(
                specs: specs, snapshot: snapshot, members: members, touched: recompute.union(dependency), asOf: asOf,
                reasons: reasons, marks: marks, rule: rule.name, fresh: fresh, in: db)
        {
            pass.reasons["dependency"] = dependency.subtracting(recompute).count
            return pass
        }
        // Past a quarter of the members, one full pass costs less than patching.
        guard recompute.count <= members / 4 + 1_000, var snapshot = try snapshot.loaded(specs: specs, in: db) else { return nil }
        // The snapshot's table is patched in place: the pass keeps no second copy.
        var table = snapshot.table
        snapshot.table = FeatureTable(memberIDs: [], columns: [:])
        var moved = false
        var previousIDs: ContiguousArray<Int64>?
        if !recompute.isEmpty {
            let compute = { try FeatureComputer(asOf: asOf).compute(specs, in: db, members: Array(recompute)) }
            let fresh = try fresh?.table(rule: rule.name, specs: specs, members: recompute, compute: compute) ?? compute()
            if let patched = table.patch(fresh, watching: Set(rule.features.map(\.spec) + rule.models.flatMap(\.model.inputs))) {
                moved = patched
            } else {
                previousIDs = table.memberIDs  // new members join
                table = table.merging(fresh)
                moved = true
            }
            // Members merged into another since the snapshot leave the table (their rows moved to the survivor).
            let gone = recompute.subtracting(fresh.memberIDs)
            if !gone.isEmpty, table.memberIDs.contains(where: { gone.contains($0) }) {
                if previousIDs == nil { previousIDs = table.memberIDs }
                table = table.removing(gone)
                moved = true
            }
        }
        // Day counts move only when the clock does.
        let days = asOf == snapshot.asOf ? [] : recount(&table, specs: specs, asOf: asOf)
        let changedIDs = recompute.union(dependency).union(days)
        reasons["dependency"] = dependency.subtracting(recompute).count
        reasons["days passed"] = days.subtracting(recompute).subtracting(dependency).count
        let changed = changedIDs.compactMap { table.index(of: $0) }.sorted()
        var pass = RulePass(kind: "incremental", table: table, changed: changed, previous: snapshot, reasons: reasons, marks: marks)
        pass.previousIDs = previousIDs
        pass.featuresMoved = moved || !days.isEmpty
        return pass
    }

    /// The pass over just the `touched` members (``isPartial``), or `nil`
    /// when it will not do: rows would cover more than an eighth of the
    /// members (a new base is due), or a member joined or left since the snapshot.
    static func partialPass(
        specs: Set<FeatureSpec>, snapshot: FeatureSnapshot, members: Int, touched: Set<Int64>, asOf: Int64,
        reasons: [String: Int], marks: (change: Int64, history: Int64), rule: String, fresh shared: FreshFeatures?,
        in db: Database
    ) throws -> RulePass? {
        var snapshot = snapshot
        snapshot.rows = try SnapshotRows.count(tagID: snapshot.tagID, in: db)
        guard SnapshotRows.fit(snapshot.rows, adding: touched.count, members: members),
            let last = try FeatureSnapshot.lastMember(tagID: snapshot.tagID, count: members, in: db),
            touched.allSatisfy({ $0 <= last })
        else { return nil }
        let compute = { try FeatureComputer(asOf: asOf).compute(specs, in: db, members: Array(touched)) }
        let fresh = try shared?.table(rule: rule, specs: specs, members: touched, compute: compute) ?? compute()
        guard fresh.count == touched.count else { return nil }  // merged away: the full path removes them
        var pass = RulePass(
            kind: "incremental", table: fresh, changed: Array(0..<fresh.count), previous: snapshot, reasons: reasons, marks: marks,
            members: members)
        pass.isPartial = true
        return pass
    }

    /// Members with a row whose window lapsed, or whose future-dated row
    /// came into range, between `old` and `new` (a superset: filters are
    /// ignored).
    static func lapsed(_ specs: Set<FeatureSpec>, from old: Int64, to new: Int64, in db: Database) throws -> Set<Int64> {
        guard new > old else { return [] }
        var members: Set<Int64> = []
        for source in FeatureSource.allCases {
            let onSource = specs.filter { $0.source == source }
            guard !onSource.isEmpty else { continue }
            var ranges: Set<[Int64]> = [[old, new]]  // rows dated after the last run's as-of enter
            for within in Set(onSource.compactMap(\.within)) { ranges.insert([old - within, new - within]) }
            for range in ranges {
                members.formUnion(try Int64.fetchAll(
                    db, sql: "SELECT DISTINCT member_id FROM \(source.rawValue) WHERE ts > ? AND ts <= ?",
                    arguments: [range[0], range[1]]))
            }
        }
        return members
    }

    /// Recounts every `days_since` column of `table` at `asOf` from its raw
    /// timestamps, in place; returns the members whose count moved.
    static func recount(_ table: inout FeatureTable, specs: Set<FeatureSpec>, asOf: Int64) -> Set<Int64> {
        var changed: Set<Int64> = []
        for spec in specs {
            guard let raw = spec.rawTimestamp, case .numeric(_, let stamps) = table.column(raw),
                var days = table.columns.removeValue(forKey: spec), days.isNumeric  // uniquely held: no copy
            else { continue }
            for index in stamps.indices {
                let value = stamps[index].isNaN ? Double.nan : FeatureSpec.days(from: stamps[index], to: asOf)
                let old = days.double(at: index)
                if !(old == value || (old.isNaN && value.isNaN)) {
                    changed.insert(table.memberIDs[index])
                    days.setNumber(value, at: index)
                }
            }
            table.columns[spec] = days
        }
        return changed
    }

    /// Takes the snapshot's recording out of the pass, so that the run holds
    /// it alone and can patch it in place; ``previousConstants`` keeps what
    /// the snapshot rows are checked against.
    mutating func takeRecording() -> PopRecording? {
        let recording = previous?.recording
        previousConstants = recording?.constants
        previous?.recording = nil
        return recording
    }

    /// Maps an index of ``table`` to the same member's index in the snapshot's table.
    var previousIndex: (Int) -> Int? {
        guard previous != nil else { return { _ in nil } }
        guard let ids = previousIDs else { return { $0 } }
        let table = self.table
        return { index in FeatureTable(memberIDs: ids, columns: [:]).index(of: table.memberIDs[index]) }
    }

    /// The snapshot's population mask, carried over to ``table``'s members (new members: not kept).
    var startMask: [Bool] {
        guard let mask = previous?.mask else { return [Bool](repeating: false, count: table.count) }
        guard previousIDs != nil else { return mask }
        let index = previousIndex
        return table.memberIDs.indices.map { index($0).map { mask[$0] } ?? false }
    }
}
