import LuaHost

extension ModelFeature {
    /// The descriptor key that marks a model feature.
    static let marker = "__model"

    /// Builds a model feature from `p_alive("orders", { where = ... })` or
    /// `expected_purchases("orders", { horizon = "30d", where = ... })`.
    static func parse(_ output: Output, arguments: [LuaValue]) throws(LuaHostError) -> ModelFeature {
        let name = output.rawValue
        guard let target = arguments.first?.stringValue else {
            throw LuaHostError("\(name): expected the purchases' source, such as \"orders\"")
        }
        guard let source = FeatureSource(rawValue: target) else {
            throw LuaHostError("\(name): unknown source '\(target)' (expected orders or events)")
        }
        var model = ModelFeature(output: output, source: source, filters: [], horizon: nil)
        let options = arguments.count > 1 ? arguments[1] : .table([:])
        guard case .table(var fields) = options else {
            if case .array(let a) = options, a.isEmpty { return try model.checked() }
            throw LuaHostError("\(name): options must be a table such as { horizon = \"30d\" }")
        }
        if let horizon = fields.removeValue(forKey: "horizon") {
            guard output != .pAlive else { throw LuaHostError("p_alive: has no horizon (it is the probability of being active now)") }
            guard let text = horizon.stringValue, let seconds = Window.seconds(text) else {
                throw LuaHostError("\(name): horizon must look like \"30d\", \"12w\" or \"1y\"")
            }
            model.horizon = seconds
        }
        if fields["within"] != nil {
            throw LuaHostError("\(name): the model reads the whole purchase history; within is not allowed")
        }
        for key in fields.keys.sorted() where key != "where" {
            throw LuaHostError("\(name): unknown option '\(key)' (expected \(output == .pAlive ? "where" : "horizon, where"))")
        }
        // Filters are parsed and checked exactly as for count(...).
        var counted = FeatureSpec(function: .count, source: source, column: nil, within: nil, filters: [])
        if let conditions = fields["where"] { try counted.apply(options: .table(["where": conditions]), name: name) }
        model.filters = counted.filters
        return try model.checked()
    }

    private func checked() throws(LuaHostError) -> ModelFeature {
        if output != .pAlive, horizon == nil {
            throw LuaHostError("\(output.rawValue): needs a horizon, as in { horizon = \"30d\" }")
        }
        return self
    }

    /// The descriptor table the DSL hands back to Lua.
    var descriptor: LuaValue {
        var counted = FeatureSpec(function: .count, source: source, column: nil, within: nil, filters: filters).descriptor
        if case .table(var fields) = counted {
            fields["__feature"] = nil
            fields[Self.marker] = .string(output.rawValue)
            if let horizon { fields["horizon"] = .integer(horizon) }
            counted = .table(fields)
        }
        return counted
    }

    /// Reads a descriptor back (`nil`: not a model feature).
    static func decode(_ value: LuaValue) throws(LuaHostError) -> ModelFeature? {
        guard let name = value[marker].stringValue else { return nil }
        guard let output = Output(rawValue: name), case .table(var fields) = value else {
            throw LuaHostError("not a model feature: \(name)")
        }
        fields[marker] = nil
        let horizon = fields.removeValue(forKey: "horizon")?.intValue
        fields["__feature"] = .string(FeatureSpec.Function.count.rawValue)
        let counted = try FeatureSpec.decode(.table(fields))
        return ModelFeature(output: output, source: counted.source, filters: counted.filters, horizon: horizon)
    }
}
