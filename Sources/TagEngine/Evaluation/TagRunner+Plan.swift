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

/// A rule version loaded for read-only evaluation (a plan, a backtest): its
/// own Lua state, the run time limit as a deadline, nothing written.
struct Preview {
    let runner: TagRunner
    let lua: LuaState
    let rule: RuleDefinition
    let limit: Int
    let deadline: Date
    /// SHA-256 (hex) of the version: the script with the libraries it requires.
    let hash: String

    /// Loads `source`; `modules` are a stored version's libraries (by default the plugins directory's files).
    init(runner: TagRunner, source: String, file: String, modules: [String: String]) throws {
        self.runner = runner
        lua = try LuaState(limits: runner.limits, pluginsDirectory: runner.pluginsDirectory?.path)
        // A stored version's snapshot is complete: nothing else may be required.
        lua.resetModules(preloading: modules, frozen: !modules.isEmpty)
        rule = try RuleLoader(lua: lua).load(source: source, file: file)
        limit = try runner.pool.read { db in Int(try Settings.value(.runTimeLimit, in: db)) ?? 3600 }
        deadline = Date().addingTimeInterval(TimeInterval(limit))
        hash = RuleFile.versionHash(source: source, modules: modules.isEmpty ? lua.requiredModules() : modules)
    }

    /// Computes the features at `asOf` and evaluates every member, handing
    /// `sink(table, index, value)` each value; returns the feature table and
    /// the population mask (`nil`: the rule declares no population).
    @discardableResult
    func evaluate(
        asOf: Int64, in db: Database, sink: (FeatureTable, Int, String?) throws -> Void
    ) throws -> (table: FeatureTable, included: [Bool]?) {
        let table = try FeatureComputer(asOf: asOf).compute(RulePass.specs(of: rule), in: db)
        let liveTags = try LiveTagColumns.load(rule.dependencies, table: table, in: db)
        let evaluator = RuleEvaluator(lua: lua, rule: rule, table: table, asOf: asOf, liveTags: liveTags)
        let (deadline, limit, name) = (self.deadline, self.limit, rule.name)
        let stop = { () -> RunError? in
            Date() < deadline ? nil : .stopped(name: name, reason: "evaluation exceeded the run time limit of \(limit) s")
        }
        let stats = try evaluator.evaluate(in: db, stop: stop) { index, value in try sink(table, index, value) }
        return (table, stats.included)
    }
}
