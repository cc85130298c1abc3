import Foundation
import GRDB
import LuaHost

/// What approving a version would do, computed without writing anything.
public struct PlanReport: Sendable, Codable {
    /// The tag the script declares.
    public var tag: String
    /// The rule file the script comes from, relative to the rules directory.
    public var file: String
    /// SHA-256 (hex) of the script: the version an approval would bind to.
    public var hash: String
    /// The as-of time evaluated at (epoch seconds UTC).
    public var asOf: Int64
    /// Members evaluated.
    public var members: Int
    /// Members that would have a value.
    public var covered: Int
    /// Members that would get a value they do not have now.
    public var gained: Int
    /// Members that would lose their live value.
    public var lost: Int
    /// Members whose live value would change to another one.
    public var changed: Int
    /// Every value with its count, most frequent first.
    public var distribution: [RunReport.ValueCount]
    /// Up to five external ids per change kind.
    public var samples: [String: [String]]
    /// Wall time of the plan, in seconds.
    public var seconds: Double

    /// Share of members with a value.
    public var coverage: Double { members == 0 ? 0 : Double(covered) / Double(members) }
}

extension TagRunner {
    /// Evaluates `source` (any version, approved or not) against the live
    /// values of `tagName` at `asOf`, reading only.
    ///
    /// - Parameter modules: library sources `require` should use (a stored
    ///   version's); by default the files in the plugins directory.
    ///
    /// A plan has the same wall-time limit as a run (setting `run_time_limit`).
    public func plan(
        source: String, file: String, tagName: String?, asOf: Date, modules: [String: String] = [:]
    ) throws -> PlanReport {
        let started = Date()
        let asOfSeconds = Int64(asOf.timeIntervalSince1970.rounded(.down))
        let preview = try Preview(runner: self, source: source, file: file, modules: modules)
        let rule = preview.rule
        return try pool.read { db in
            let tagID = try Int64.fetchOne(db, sql: "SELECT id FROM tags WHERE name = ?", arguments: [tagName ?? rule.name])
            var tracker = try ChangeTracker(tagID: tagID, in: db)
            var sampleIDs: [ChangeTracker.Change: [Int64]] = [:]
            try preview.evaluate(asOf: asOfSeconds, in: db) { table, index, value in
                let id = table.memberIDs[index]
                if let (change, _) = tracker.record(member: id, value: value), sampleIDs[change, default: []].count < 5 {
                    sampleIDs[change, default: []].append(id)
                }
            }
            var samples: [String: [String]] = [:]
            for (change, ids) in sampleIDs {
                samples[change.rawValue] = try ids.compactMap {
                    try String.fetchOne(db, sql: "SELECT external_id FROM members WHERE id = ?", arguments: [$0])
                }
            }
            return PlanReport(
                tag: rule.name, file: file, hash: preview.hash, asOf: asOfSeconds, members: tracker.members,
                covered: tracker.covered, gained: tracker.gained, lost: tracker.lost, changed: tracker.changed,
                distribution: tracker.sortedDistribution.map { RunReport.ValueCount(value: $0.value, count: $0.count) },
                samples: samples, seconds: Date().timeIntervalSince(started))
        }
    }
}
