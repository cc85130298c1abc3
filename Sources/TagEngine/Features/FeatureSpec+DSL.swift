import LuaHost

extension FeatureSpec {
    /// Builds a spec from a DSL call such as `sum("orders.amount", { within = "365d" })`.
    ///
    /// Errors are `LuaHostError`s, so the script sees them at the calling line.
    static func parse(function: Function, arguments: [LuaValue]) throws(LuaHostError) -> FeatureSpec {
        let name = function == .daysSinceFirst ? "days_since" : function.rawValue
        guard let target = arguments.first else {
            throw LuaHostError("\(name): expected a source such as \"orders\" or \"orders.amount\"")
        }
        var spec: FeatureSpec
        if case .table(let inner) = target, inner["__feature"] != nil, function == .daysSinceLast {
            spec = try decode(.table(inner))
            guard spec.column == "ts", spec.function == .first || spec.function == .last else {
                throw LuaHostError("days_since: expects first/last of a \"ts\" column, a source, or \"source.ts\"")
            }
            spec.function = spec.function == .first ? .daysSinceFirst : .daysSinceLast
        } else {
            guard let text = target.stringValue else {
                throw LuaHostError("\(name): expected a string such as \"orders.amount\", got a \(target.typeName)")
            }
            spec = try parseTarget(text, function: function, name: name)
        }
        if arguments.count > 1 { try spec.apply(options: arguments[1], name: name) }
        return spec
    }

    private static func parseTarget(_ text: String, function: Function, name: String) throws(LuaHostError) -> FeatureSpec {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard let source = FeatureSource(rawValue: parts[0]) else {
            throw LuaHostError("\(name): unknown source '\(parts[0])' (expected orders or events)")
        }
        var column = parts.count > 1 ? parts[1] : nil
        if let named = column, source.columns[named] == nil {
            column = try customColumn(named, of: source, name: name)
        }
        let custom = column.map(FeatureSource.isCustom) ?? false
        switch function {
        case .count:
            column = nil
        case .activeDays:
            guard column == nil || column == "ts" else { throw LuaHostError("active_days: counts days of rows; name only the source, such as \"orders\"") }
            column = nil
        case .daysSinceLast, .daysSinceFirst:
            guard column == nil || column == "ts" else { throw LuaHostError("days_since: only the ts column has a date") }
            column = "ts"
        case .sum, .avg, .min, .max:
            guard let column, custom || source.columns[column] == .real || source.columns[column] == .integer else {
                throw LuaHostError("\(name): needs a numeric column such as \(source == .orders ? "orders.amount" : "events.ts")")
            }
        case .first, .last, .distinct:
            guard column != nil else { throw LuaHostError("\(name): name a column, such as \"\(source.rawValue).ts\"") }
        case .mode:
            guard let column, custom || source.columns[column] == .text else {
                throw LuaHostError("mode: needs a text column such as \"\(source.rawValue).category\"")
            }
        }
        return FeatureSpec(function: function, source: source, column: column, within: nil, filters: [])
    }

    /// A column that is not built in, as a custom column `props.<key>`:
    /// `quantity` or `props.quantity`. A bare name one or two edits from a
    /// built-in column (`amout`) is refused as a likely typo.
    static func customColumn(_ named: String, of source: FeatureSource, name: String) throws(LuaHostError) -> String {
        let explicit = FeatureSource.isCustom(named)
        let key = explicit ? FeatureSource.key(of: named) : named
        if let why = FeatureSource.customKeyProblem(key) {
            let known = source.columns.keys.sorted().joined(separator: ", ")
            throw LuaHostError("\(name): unknown column '\(named)' of \(source.rawValue) (known: \(known); \(why))")
        }
        if !explicit, let typo = source.likelyTypo(of: key) {
            throw LuaHostError(
                "\(name): unknown column '\(named)' of \(source.rawValue): did you mean '\(typo)'? "
                    + "(a custom column of that name is spelled '\(FeatureSource.customPrefix)\(key)')")
        }
        return FeatureSource.customPrefix + key
    }
}
