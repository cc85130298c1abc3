import Foundation
import GRDB
import LuaHost

/// Calls one rule's `evaluate(m, pop)` for every member, in member order, and
/// hands each member's canonical value to a sink.
///
/// `m` holds the rule's features by name, `m.id` (the external id) and, when
/// the rule reads them, `m.attr` (base attributes plus the JSON ones).
final class RuleEvaluator {
    let lua: LuaState
    let rule: RuleDefinition
    let table: FeatureTable
    let asOf: Int64
    private let keys: [LuaKey]
    /// The features' columns, then the model features' (empty until `evaluate` fits them).
    private var columns: [FeatureColumn]
    private let tagKeys: [LuaKey]
    private let tagColumns: [FeatureColumn]
    private let tagsKey = LuaKey("tags")
    private let idKey = LuaKey("id")
    /// What the state's long-lived host functions answer from: the member
    /// being evaluated (lazy `m.attr`) and the statistics behind `pop`.
    private let slots: EvaluationSlots
    /// `{ __index = ... }` that builds `m.attr` when a rule reads it.
    private var attrMetatable: LuaRef?
    /// The fits the model features were predicted with (set by `evaluate`).
    private(set) var fits: ModelFits?
    /// The derived statistics the last ``evaluate(in:population:only:mask:recorder:fits:stop:sink:)`` answered with.
    private(set) var lastDerived = DerivedStatistics()
    /// Whether `evaluate` evaluated everyone although asked for some members:
    /// the stored fits could not predict a changed member, and a full run
    /// with those fits would give every member no value.
    private(set) var widened = false

    init(
        lua: LuaState, rule: RuleDefinition, table: FeatureTable, asOf: Int64,
        liveTags: [(name: String, column: FeatureColumn)] = []
    ) {
        self.slots = lua.cachedObject("tagd.slots") { EvaluationSlots() }
        self.tagKeys = liveTags.map { LuaKey($0.name) }
        self.tagColumns = liveTags.map(\.column)
        self.lua = lua
        self.asOf = asOf
        self.rule = rule
        self.table = table
        self.keys = rule.features.map { LuaKey($0.name) } + rule.models.map { LuaKey($0.name) }
        self.columns = rule.features.map { table.column($0.spec) }
            + rule.models.map { _ in .numeric(.real, ContiguousArray(repeating: .nan, count: table.count)) }
    }

    /// Runs the rule over every member; `sink(memberIndex, value)` gets the
    /// value to store (`nil`: no tag), in ascending member order.
    ///
    /// - Parameter population: statistics to answer `pop` from (realtime
    ///   evaluation passes those of the last full run); by default they are
    ///   computed over this table.
    ///   - only: evaluate just these member indexes (ascending); `nil` for all.
    ///   - mask: the population mask to use as it is (`nil`: computed here).
    ///   - recorder: told every question `pop` answers, member by member.
    ///   - fits: model parameters to predict with (``ModelFits``); `nil` fits them.
    @discardableResult
    func evaluate(
        in db: Database, population: PopulationStats? = nil, only: [Int]? = nil, mask: [Bool]? = nil,
        recorder: PopRecorder? = nil, fits: ModelFits? = nil, stop: () -> RunError? = { nil },
        sink: (Int, String?) throws -> Void
    ) throws -> PopulationStats {
        try checkData()
        if rule.usesAttributes, attrMetatable == nil { attrMetatable = try makeAttrMetatable() }
        let included = try mask ?? rule.population.map { try populationMask($0, in: db) }
        var only = only
        self.fits = fits
        if !rule.models.isEmpty, only?.isEmpty != true {  // nobody to evaluate: nothing to fit
            var fitted = try ModelColumns.compute(rule.models, table: table, included: included, asOf: asOf, fits: fits, only: only)
            if fitted == nil {
                widened = true
                only = nil
                fitted = try ModelColumns.compute(rule.models, table: table, included: included, asOf: asOf, fits: fits)
            }
            if let fitted {
                columns.replaceSubrange(rule.features.count..., with: fitted.columns)
                self.fits = fitted.fits
            }
        }
        let stats = population ?? PopulationStats(table: table, featuresByName: featuresByName, included: included)
        let pop = try makePop(stats)
        defer {
            lua.release(pop)
            slots.recorder = nil
            slots.derived = DerivedStatistics()
        }
        slots.derived = try derivedStatistics(pop: pop)
        lastDerived = slots.derived
        slots.recorder = recorder
        let converter = MemberValue(rule: rule)
        let base = lua.top
        try forEachMember(in: db, only: only) { index, member in
            if let stopped = stop() { throw stopped }
            recorder?.begin(member: index)
            if let included, !included[index] { return try sink(index, nil) }
            lua.pushRef(rule.evaluate)
            pushMember(index, member)
            lua.pushRef(pop)
            do {
                try lua.callTop(arguments: 2, results: 1)
            } catch let error as LuaError {
                throw RunError.rule(name: rule.name, member: try externalID(index, member, db), error: error)
            }
            let result = try lua.value(at: -1)
            lua.setTop(base)
            switch converter.canonical(result) {
            case .success(let value): try sink(index, value)
            case .failure(let error):
                throw RunError.badValue(
                    name: rule.name, file: rule.file, line: rule.line, member: try externalID(index, member, db) ?? "?",
                    message: error.message)
            }
        }
        return stats
    }

    /// Fails when one of the rule's features has unusable values (``FeatureTable/problems``).
    func checkData() throws {
        for feature in rule.features {
            if let problem = table.problems[feature.spec] { throw RunError.data(name: rule.name, message: problem) }
        }
    }

    /// The member's external id, looked up when the row was not streamed.
    private func externalID(_ index: Int, _ member: MemberRow, _ db: Database) throws -> String? {
        try member.externalID
            ?? String.fetchOne(db, sql: "SELECT external_id FROM members WHERE id = ?", arguments: [table.memberIDs[index]])
    }

    /// A metatable whose `__index` answers `m.attr` from the current member
    /// (one per Lua state: realtime evaluation creates evaluators per request).
    private func makeAttrMetatable() throws -> LuaRef {
        let slots = self.slots
        return lua.cached("tagd.attr") {
            let index = lua.makeHostFunction { _, arguments in
                arguments.count > 1 && arguments[1] == .string("attr") ? [slots.member.attributes] : [.nil]
            }
            lua.newTable(fields: 1)
            lua.pushHostFunction(index)
            lua.setField("__index")
            return lua.popRef()
        }
    }

    var featuresByName: [String: FeatureSpec] {
        Dictionary(uniqueKeysWithValues: rule.features.map { ($0.name, $0.spec) })
    }

    /// Which members `population(m)` keeps: all of them, or only those at
    /// `only`, starting from `start`.
    func populationMask(_ function: LuaRef, in db: Database, only: [Int]? = nil, start: [Bool]? = nil) throws -> [Bool] {
        try checkData()
        var mask = start ?? [Bool](repeating: false, count: table.count)
        let base = lua.top
        try forEachMember(in: db, only: only) { index, member in
            lua.pushRef(function)
            pushMember(index, member)
            do {
                try lua.callTop(arguments: 1, results: 1)
            } catch let error as LuaError {
                throw RunError.rule(name: rule.name, member: try externalID(index, member, db), error: error)
            }
            let keep = try lua.value(at: -1)
            lua.setTop(base)
            mask[index] = !(keep.isNil || keep == .bool(false))
        }
        return mask
    }

    private func makePop(_ stats: PopulationStats) throws -> LuaRef {
        // Compiled once per Lua state: realtime evaluation calls this for every ingest.
        let ref = try lua.cached("tagd.pop") {
            guard case .function(let ref) = try lua.run(PopPrelude.source, chunkName: "=tagd:pop") else {
                throw RunError.store("pop prelude did not return a function")
            }
            return ref
        }
        slots.stats = stats
        let slots = self.slots
        let statRef = lua.cached("tagd.stat") {
            let stat = lua.makeHostFunction { _, arguments in
                guard let stats = slots.stats else { throw LuaHostError("pop is only available inside evaluate") }
                return try stats.answer(arguments, recorder: slots.recorder, derived: slots.derived)
            }
            return HostFunctionHandle.ref(lua, stat)
        }
        lua.pushRef(ref)
        lua.pushRef(statRef)
        lua.push(asOf)
        try lua.callTop(arguments: 2, results: 1)
        return lua.popRef()
    }

    /// The rule's derived statistics over `stats` (one call of each
    /// `stats` function; what they read of `pop` is not recorded).
    func derivedStatistics(_ stats: PopulationStats) throws -> DerivedStatistics {
        guard !rule.statistics.isEmpty else { return DerivedStatistics() }
        let pop = try makePop(stats)
        defer { lua.release(pop) }
        return try derivedStatistics(pop: pop)
    }

    private func derivedStatistics(pop: LuaRef) throws -> DerivedStatistics {
        var derived = DerivedStatistics()
        let recorder = slots.recorder
        slots.recorder = nil
        defer { slots.recorder = recorder }
        for (name, function) in rule.statistics {
            let base = lua.top
            lua.pushRef(function)
            lua.pushRef(pop)
            if let error = Self.failure(of: { () throws(LuaError) in try lua.callTop(arguments: 1, results: 1) }) {
                throw RunError.rule(name: rule.name, member: "stats.\(name)", error: error)
            }
            let result = try lua.value(at: -1)
            lua.setTop(base)
            switch result {
            case .nil: derived.values.append(.nan)
            case .integer, .number: derived.values.append(result.doubleValue ?? .nan)
            default:
                throw RunError.badValue(
                    name: rule.name, file: rule.file, line: rule.line, member: "stats.\(name)",
                    message: "stats.\(name) returned a \(result.typeName); a derived statistic is a number or nil")
            }
            derived.names.append(name)
        }
        return derived
    }

    /// The Lua error `call` threw, if any (a typed `do`/`catch` inside the
    /// statistics loop crashed the Swift 6.3 compiler).
    private static func failure(of call: () throws(LuaError) -> Void) -> LuaError? {
        do {
            try call()
            return nil
        } catch {
            return error
        }
    }

    /// Pushes `m` for member `index`.
    private func pushMember(_ index: Int, _ member: MemberRow) {
        lua.newTable(fields: Int32(keys.count + 3))
        push(columns, keys: keys, index: index)
        if !tagKeys.isEmpty {
            lua.newTable(fields: Int32(tagKeys.count))
            push(tagColumns, keys: tagKeys, index: index)
            lua.setField(tagsKey)
        }
        if let id = member.externalID {
            lua.pushString(id)
            lua.setField(idKey)
        }
        if let attrMetatable {
            slots.member = member
            lua.pushRef(attrMetatable)
            lua.setMetatable()
        }
    }

    /// Pushes a feature's number as its column type says (integers and booleans as such).
    @inline(__always)
    private func push(_ value: Double, as type: FeatureSource.ColumnType) {
        switch type {
        // A whole number past Int64's range (hostile data) stays a float.
        case .integer: if let whole = Int64(exactly: value) { lua.push(whole) } else { lua.push(value) }
        case .bool: lua.push(value != 0)
        default: lua.push(value)
        }
    }

    /// Sets the non-nil values of member `index` in the table on top of the stack.
    private func push(_ columns: [FeatureColumn], keys: [LuaKey], index: Int) {
        for (offset, column) in columns.enumerated() {
            switch column {
            case .numeric(let type, let values):
                if values[index].isNaN { continue }
                push(values[index], as: type)
            case .compact(let type, let values):
                if values[index].isNaN { continue }
                push(Double(values[index]), as: type)
            case .text(let codes, let words):
                let code = codes[index]
                if code < 0 { continue }
                lua.pushString(words[Int(code)])
            }
            lua.setField(keys[offset])
        }
    }
}

/// Mutable state shared by one Lua state's long-lived host functions.
final class EvaluationSlots {
    var member = MemberRow.anonymous
    var stats: PopulationStats?
    /// Records what `pop` answers during a batch run (`nil` otherwise).
    var recorder: PopRecorder?
    /// The rule's derived statistics over ``stats``.
    var derived = DerivedStatistics()
}
