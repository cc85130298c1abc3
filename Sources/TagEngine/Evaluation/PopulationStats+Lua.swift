import LuaHost

extension PopulationStats {
    /// Answers `stat(op, feature, a, b)` from the `pop` table built by
    /// ``PopPrelude``, telling `recorder` (if any) what was asked and answered.
    func answer(_ arguments: [LuaValue], recorder: PopRecorder? = nil, derived: DerivedStatistics = .init()) throws -> [LuaValue] {
        guard let op = arguments.first?.stringValue else { throw LuaHostError("pop: bad call") }
        let name = arguments.count > 1 ? arguments[1].stringValue : nil
        let a = arguments.count > 2 ? arguments[2] : .nil
        let b = arguments.count > 3 ? arguments[3] : .nil
        func feature() throws -> String {
            guard let name else { throw LuaHostError("pop.\(op): expected a feature name, as in pop.\(op) \"monetary\"") }
            return name
        }
        func number(_ v: LuaValue, _ what: String) throws -> Double {
            guard let d = v.doubleValue else { throw LuaHostError("pop.\(op): expected \(what), got a \(v.typeName)") }
            return d
        }
        do {
            if let question = PopQuestion(name: op) {
                let feature = try feature()
                let parameter: Double
                if question.isComparison {
                    guard let text = b.stringValue, let stat = PopQuestion.statistic(text) ?? derived.parameter(of: text) else {
                        let choices = derived.names.isEmpty
                            ? "\"mean\", \"median\" or a quantile such as \"p80\""
                            : "\"mean\", \"median\", a quantile such as \"p80\" or one of the rule's stats (\(derived.names.joined(separator: ", ")))"
                        throw LuaHostError(
                            "pop.\(op): expected the statistic to compare with: \(choices), got \(b.stringValue.map { "\"\($0)\"" } ?? b.typeName)")
                    }
                    guard !a.isNil else { throw LuaHostError("pop.\(op): expected the member's value, got nil") }
                    parameter = stat
                } else {
                    if a.isNil { return [.nil] }
                    parameter = question == .ntile ? try number(b, "the number of tiles") : 0
                }
                let value = try number(a, "the member's value")
                let result = try answer(question, feature: feature, value: value, parameter: parameter, derived: derived)
                recorder?.record(question, feature: feature, value: value, parameter: parameter, answer: result)
                guard let result else { return [.nil] }
                switch question {
                case .percentile: return [.number(result)]
                case .rank, .ntile: return [.integer(Int64(result))]
                default: return [.bool(result != 0)]
                }
            }
            let result = try constant(op, name: name, a: a, feature: feature, number: number)
            recorder?.record(constant: arguments, answer: result)
            return result
        } catch let error as StatError {
            throw LuaHostError(error.description)
        }
    }

    /// A statistic that is the same for every member (`pop.mean "f"`...).
    private func constant(
        _ op: String, name: String?, a: LuaValue, feature: () throws -> String, number: (LuaValue, String) throws -> Double
    ) throws -> [LuaValue] {
        switch op {
        case "count":
            guard let name else { return [.integer(Int64(size))] }
            if a.isNil { return [.integer(Int64(try summary(name).count))] }
            return [.integer(Int64(try count(name, equalTo: a)))]
        case "mean": return [try mean(try feature()).map(LuaValue.number) ?? .nil]
        case "sum": return [.number(try summary(try feature()).sum)]
        case "min":
            let summary = try summary(try feature())
            return [summary.count > 0 ? .number(summary.min) : .nil]
        case "max":
            let summary = try summary(try feature())
            return [summary.count > 0 ? .number(summary.max) : .nil]
        case "median": return [try quantile(try feature(), 0.5).map(LuaValue.number) ?? .nil]
        case "quantile": return [try quantile(try feature(), try number(a, "a share 0..1")).map(LuaValue.number) ?? .nil]
        default: throw LuaHostError("pop: unknown statistic '\(op)'")
        }
    }

    private func count(_ name: String, equalTo value: LuaValue) throws -> Int {
        guard let spec = featuresByName[name] else { throw StatError.unknownFeature(name, known: featuresByName.keys.sorted()) }
        var total = 0
        for index in 0..<table.count where included?[index] ?? true {
            switch table.column(spec) {
            case .numeric, .compact:
                if let d = value.doubleValue, table.column(spec).number(at: index) == d { total += 1 }
            case .text:
                if let s = value.stringValue, table.column(spec).text(at: index) == s { total += 1 }
            }
        }
        return total
    }
}
