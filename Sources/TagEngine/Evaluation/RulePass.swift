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
    /// The snapshot it started from (incremental passes).
    var previous: FeatureSnapshot?
    /// Members re-computed or re-evaluated, by reason.
    var reasons: [String: Int]
    /// The marks the pass has seen (saved with its snapshot).
    var marks: (change: Int64, history: Int64)
    /// Whether members left the table since the snapshot (merged into others): population statistics moved.
    var removedMembers = false

    /// Every feature a rule's snapshot holds.
    static func specs(of rule: RuleDefinition) -> Set<FeatureSpec> {
        var specs = Set(rule.features.map(\.spec))
        for feature in rule.features { if let raw = feature.spec.rawTimestamp { specs.insert(raw) } }
        return specs
    }

    /// The incremental pass of `rule` (tag `tagID`, live version `versionID`)
    /// at `asOf`, or `nil` when the rule must run in full: no usable snapshot
    /// (first run, new version, unreadable), an as-of earlier than the last
    /// run's, or so many changed members that a full pass is cheaper.
    static func incremental(
        rule: RuleDefinition, tagID: Int64, versionID: Int64, asOf: Int64, marks: (change: Int64, history: Int64),
        in db: Database
    ) throws -> RulePass? {
        let specs = specs(of: rule)
        guard let snapshot = try FeatureSnapshot.load(tagID: tagID, specs: specs, in: db), snapshot.versionID == versionID,
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
        // Past a quarter of the members, one full pass costs less than patching.
        guard recompute.count <= snapshot.table.count / 4 + 1_000 else { return nil }
        var table = snapshot.table
        var removed = false
        if !recompute.isEmpty {
            let fresh = try FeatureComputer(asOf: asOf).compute(specs, in: db, members: Array(recompute))
            table = table.merging(fresh)
            // Members merged into another since the snapshot leave the table (their rows moved to the survivor).
            let gone = recompute.subtracting(fresh.memberIDs)
            if !gone.isEmpty {
                removed = table.memberIDs.contains { gone.contains($0) }
                table = table.removing(gone)
            }
        }
        let days = recount(&table, specs: specs, asOf: asOf, previous: snapshot.table)
        let changedIDs = recompute.union(dependency).union(days)
        reasons["dependency"] = dependency.subtracting(recompute).count
        reasons["days passed"] = days.subtracting(recompute).subtracting(dependency).count
        let changed = changedIDs.compactMap { table.index(of: $0) }.sorted()
        var pass = RulePass(kind: "incremental", table: table, changed: changed, previous: snapshot, reasons: reasons, marks: marks)
        pass.removedMembers = removed
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
    /// timestamps; returns the members whose count differs from `previous`.
    static func recount(_ table: inout FeatureTable, specs: Set<FeatureSpec>, asOf: Int64, previous: FeatureTable) -> Set<Int64> {
        var changed: Set<Int64> = []
        for spec in specs {
            guard let raw = spec.rawTimestamp, case .numeric(let type, var days) = table.column(spec),
                case .numeric(_, let stamps) = table.column(raw)
            else { continue }
            let old = previous.column(spec)
            for index in days.indices {
                let value = stamps[index].isNaN ? Double.nan : FeatureSpec.days(from: stamps[index], to: asOf)
                days[index] = value
                let id = table.memberIDs[index]
                if let before = previous.index(of: id), case .numeric(_, let was) = old {
                    if !(was[before] == value || (was[before].isNaN && value.isNaN)) { changed.insert(id) }
                } else {
                    changed.insert(id)
                }
            }
            table.columns[spec] = .numeric(type, days)
        }
        return changed
    }

    /// Whether the features of any `changed` member differ from the
    /// snapshot's (so population statistics may differ too).
    func featuresChanged(_ rule: RuleDefinition) -> Bool {
        guard let previous, let changed, !removedMembers else { return true }
        for index in changed {
            guard let before = previous.table.index(of: table.memberIDs[index]) else { return true }
            for feature in rule.features
            where !table.column(feature.spec).sameValue(at: index, as: previous.table.column(feature.spec), at: before) {
                return true
            }
        }
        return false
    }
}
