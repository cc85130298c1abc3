import Foundation
import GRDB
import LuaHost

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
