import LuaHost

extension PopulationStats {
    /// Answers `stat(op, feature, a, b)` from the `pop` table built by ``PopPrelude``.
    func answer(_ arguments: [LuaValue]) throws -> [LuaValue] {
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
            switch op {
            case "count":
                guard let name else { return [.integer(Int64(size))] }
                if a.isNil { return [.integer(Int64(try sorted(name).count))] }
                return [.integer(Int64(try count(name, equalTo: a)))]
            case "mean":
                let values = try sorted(try feature())
                return values.isEmpty ? [.nil] : [.number(values.reduce(0, +) / Double(values.count))]
            case "sum": return [.number(try sorted(try feature()).reduce(0, +))]
            case "min": return [try sorted(try feature()).first.map(LuaValue.number) ?? .nil]
            case "max": return [try sorted(try feature()).last.map(LuaValue.number) ?? .nil]
            case "median": return [try quantile(try feature(), 0.5).map(LuaValue.number) ?? .nil]
            case "quantile": return [try quantile(try feature(), try number(a, "a share 0..1")).map(LuaValue.number) ?? .nil]
            case "rank":
                if a.isNil { return [.nil] }
                return [.integer(Int64(try countAbove(try feature(), try number(a, "the member's value")) + 1))]
            case "percentile":
                if a.isNil { return [.nil] }
                let values = try sorted(try feature())
                guard !values.isEmpty else { return [.nil] }
                let atOrBelow = values.count - (try countAbove(try feature(), try number(a, "the member's value")))
                return [.number(Double(atOrBelow) / Double(values.count))]
            case "ntile":
                if a.isNil { return [.nil] }
                let n = try number(b, "the number of tiles")
                let values = try sorted(try feature())
                guard !values.isEmpty, n >= 1 else { return [.nil] }
                let below = Double(try countBelow(try feature(), try number(a, "the member's value")))
                return [.integer(Int64(min(n, (below / Double(values.count) * n).rounded(.down) + 1)))]
            default:
                throw LuaHostError("pop: unknown statistic '\(op)'")
            }
        } catch let error as StatError {
            throw LuaHostError(error.description)
        }
    }

    private func count(_ name: String, equalTo value: LuaValue) throws -> Int {
        guard let spec = featuresByName[name] else { throw StatError.unknownFeature(name, known: featuresByName.keys.sorted()) }
        var total = 0
        for index in 0..<table.count where included?[index] ?? true {
            switch table.column(spec) {
            case .numeric:
                if let d = value.doubleValue, table.column(spec).number(at: index) == d { total += 1 }
            case .text:
                if let s = value.stringValue, table.column(spec).text(at: index) == s { total += 1 }
            }
        }
        return total
    }
}
