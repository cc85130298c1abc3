import Foundation
import GRDB
import LuaHost

/// A rule of a run with its tag and approved version.
struct LoadedRule {
    var tag: TagRecord
    var version: TagVersionRecord
    /// The version loaded in a state of its own (used for reach hooks).
    var sandbox: RuleSandbox
    /// The definition.
    var rule: RuleDefinition { sandbox.rule }
}

/// One rule's evaluated values, by member index (-1: no value).
struct RuleValues: @unchecked Sendable {
    var codes: ContiguousArray<Int32>
    var words: [String]
    var stats: PopulationStats
    /// Seconds the evaluation took.
    var seconds: Double
    /// The pass the values come from (its table indexes the members).
    var pass: RulePass
    /// The indexes evaluated, ascending (`nil`: every member).
    var evaluated: [Int]?
    /// The population mask used (saved with the snapshot).
    var mask: [Bool]?
    /// Members evaluated, by reason.
    var reasons: [String: Int]
    /// What `pop` answered, for the next run's snapshot (pop-reading rules).
    var recording: PopRecording?
    /// The model fits the values were predicted with (rules with model features).
    var fits: ModelFits?
}

/// Groups rules so that each group reads only tags of earlier groups.
enum RunLevels {
    static func split(_ rules: [LoadedRule]) -> [[LoadedRule]] {
        var level: [String: Int] = [:]
        var levels: [[LoadedRule]] = []
        for item in rules {  // already in dependency order
            let depth = (item.rule.dependencies.compactMap { level[$0] }.max() ?? -1) + 1
            level[item.rule.name] = depth
            if levels.count <= depth { levels.append([]) }
            levels[depth].append(item)
        }
        return levels
    }
}

extension TagRunner {
    /// Evaluates one rule in its own Lua state and read transaction;
    /// nothing is written here. It stops when its ticket does (an
    /// operator's cancel, its time limit) or when `isCancelled` says so
    /// (shutdown). `recording`: the snapshot's recorded `pop` answers, taken
    /// out of `pass` (``RulePass/takeRecording()``) so that they are patched
    /// where they lie.
    func evaluate(
        source: String, file: String, modules: [String: String], pass: RulePass,
        recording snapshotRecording: consuming PopRecording?, asOf: Int64, ticket: RunTicket?,
        progress: (@Sendable (Progress) -> Void)?, isCancelled: @escaping @Sendable () -> Bool
    ) throws -> RuleValues {
        let started = Date()
        let lua = try LuaState(limits: limits, pluginsDirectory: pluginsDirectory?.path)
        // An approved version requires only what was frozen with it.
        lua.resetModules(preloading: modules, frozen: true)
        // Cancelling the run (an operator, its time limit) stops even a call in progress.
        ticket?.onStop { [interrupt = lua.interrupt] reason in interrupt.request(reason) }
        let rule = try RuleLoader(lua: lua).load(source: source, file: file)
        // Rules that read `pop` (a second parameter) depend on everyone's
        // features; rules that read `pop.as_of` depend on the clock itself.
        let usesPop = lua.parameterCount(rule.evaluate) >= 2
        let usesAsOf = LuaSource.mentions("as_of", in: source)
        // The snapshot's recording (``RulePass/takeRecording()``), held here alone.
        var previousRecording = snapshotRecording
        let table = pass.table
        return try pool.read { db in
            let liveTags = try LiveTagColumns.load(rule.dependencies, table: table, in: db)
            let evaluator = RuleEvaluator(lua: lua, rule: rule, table: table, asOf: asOf, liveTags: liveTags)
            var only = pass.changed
            var reasons = pass.reasons
            var mask: [Bool]?
            var maskChanged = false
            if let changed = pass.changed, let population = rule.population {
                let start = pass.startMask
                let computed = try evaluator.populationMask(population, in: db, only: changed, start: start)
                maskChanged = changed.contains { computed[$0] != start[$0] }
                mask = computed
            }
            let previousIndex = pass.previousIndex
            var population: PopulationStats?
            // Model features predict with the stored fit while the rule's
            // `refit` cycle allows; a new fit moves everyone's predictions, and
            // so does a new as-of (the observation time of every history).
            let fits = rule.models.isEmpty ? nil : pass.fits
            if let changed = only, !rule.models.isEmpty {
                let clockMoved = pass.previous.map { $0.asOf != asOf } ?? true
                if fits == nil, maskChanged || pass.featuresMoved || clockMoved {
                    only = nil
                    reasons["model refitted"] = table.count - changed.count
                } else if clockMoved {
                    only = nil
                    reasons["as-of moved"] = table.count - changed.count
                }
            }
            if only != nil, usesAsOf, let previous = pass.previous, previous.asOf != asOf {
                only = nil
                reasons["as-of moved"] = table.count - (pass.changed?.count ?? 0)
            } else if let changed = only, usesPop, maskChanged || pass.featuresMoved {
                // The statistics moved: evaluate again the members `pop` would
                // now answer differently, or everyone if a constant statistic moved.
                let stats = PopulationStats(table: table, featuresByName: evaluator.featuresByName, included: mask)
                population = stats
                if let recording = previousRecording,
                    let moved = try recording.moved(
                        stats: stats, derived: try evaluator.derivedStatistics(stats), count: table.count, changed: changed,
                        previousIndex: previousIndex, aligned: pass.previousIDs == nil)
                {
                    only = (changed + moved).sorted()
                    reasons["pop answer moved"] = moved.count
                } else {
                    only = nil
                    reasons["population changed"] = table.count - changed.count
                }
            }
            let recorder = usesPop ? PopRecorder() : nil
            var codes = ContiguousArray<Int32>(repeating: -1, count: table.count)
            var words: [String] = []
            var dictionary: [String: Int32] = [:]
            let total = table.count
            let name = rule.name
            let stop = { () -> RunError? in
                if isCancelled() { return .cancelled(name) }
                return ticket?.stopReason.map { .stopped(name: name, reason: $0) }
            }
            let stats = try evaluator.evaluate(
                in: db, population: population, only: only, mask: mask, recorder: recorder, fits: fits, stop: stop
            ) { index, value in
                if let value { codes[index] = FeatureComputer.code(of: value, dictionary: &dictionary, words: &words) }
                if index % 100_000 == 99_999 { progress?(Progress(tag: rule.name, done: index + 1, total: total, phase: "evaluate")) }
            }
            if evaluator.widened, let evaluated = only {
                reasons["model failed"] = table.count - evaluated.count
                only = nil
            }
            // Members not evaluated keep what `pop` answered them before.
            var recording: PopRecording?
            if only == nil {
                recording = recorder?.recording(count: table.count, previous: nil, previousIndex: previousIndex)
            } else if let recorder, let carried = previousRecording {
                previousRecording = nil  // `carried` is the only holder now
                recording = pass.previousIDs == nil && carried.count == table.count
                    ? recorder.recording(patching: carried)
                    : recorder.recording(count: table.count, previous: carried, previousIndex: previousIndex)
            }
            // Every member's recorded answers now hold for these statistics.
            if let keys = recording?.keys { recording?.fingerprints = try stats.fingerprints(of: keys, derived: evaluator.lastDerived) }
            return RuleValues(
                codes: codes, words: words, stats: stats, seconds: Date().timeIntervalSince(started), pass: pass, evaluated: only,
                mask: stats.included, reasons: reasons, recording: recording, fits: evaluator.fits)
        }
    }
}
