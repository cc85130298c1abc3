import LuaHost

extension FeatureSpec {
    /// The descriptor table the DSL hands back to Lua, so a rule's
    /// `features = { ... }` table holds plain data the host reads back.
    var descriptor: LuaValue {
        var fields: [String: LuaValue] = ["__feature": .string(function.rawValue), "source": .string(source.rawValue)]
        if let column { fields["column"] = .string(column) }
        if let within { fields["within"] = .integer(within) }
        if !filters.isEmpty {
            var conditions: [String: LuaValue] = [:]
            for filter in filters {
                conditions[filter.column] = .array(filter.values.map(\.luaValue))
            }
            fields["where"] = .table(conditions)
        }
        return .table(fields)
    }

    /// Reads a descriptor table back.
    static func decode(_ value: LuaValue) throws(LuaHostError) -> FeatureSpec {
        guard let name = value["__feature"].stringValue, let function = Function(rawValue: name),
            let sourceName = value["source"].stringValue, let source = FeatureSource(rawValue: sourceName)
        else { throw LuaHostError("not a feature: declare features with count, sum, avg, ... (see the README)") }
        var filters: [Filter] = []
        if case .table(let conditions) = value["where"] {
            for (column, list) in conditions.sorted(by: { $0.key < $1.key }) {
                guard case .array(let items) = list else { continue }
                filters.append(Filter(column: column, values: items.compactMap(FilterValue.init)))
            }
        }
        return FeatureSpec(
            function: function, source: source, column: value["column"].stringValue,
            within: value["within"].intValue, filters: filters)
    }
}

extension FeatureSpec.FilterValue {
    var luaValue: LuaValue {
        switch self {
        case .text(let s): return .string(s)
        case .integer(let i): return .integer(i)
        case .real(let d): return .number(d)
        }
    }

    init?(_ value: LuaValue) {
        switch value {
        case .string(let s): self = .text(s)
        case .integer(let i): self = .integer(i)
        case .number(let d): self = .real(d)
        default: return nil
        }
    }
}
