import LuaHost

extension FeatureSpec {
    /// Applies `{ within = "30d", where = { type = "cart" } }`.
    mutating func apply(options: LuaValue, name: String) throws(LuaHostError) {
        guard case .table(let fields) = options else {
            if case .array(let a) = options, a.isEmpty { return }
            throw LuaHostError("\(name): options must be a table such as { within = \"30d\" }")
        }
        for key in fields.keys where key != "within" && key != "where" {
            throw LuaHostError("\(name): unknown option '\(key)' (expected within, where)")
        }
        if let within = fields["within"] {
            guard let text = within.stringValue, let seconds = Window.seconds(text) else {
                throw LuaHostError("\(name): within must look like \"30d\", \"12h\", \"2w\" or \"1y\"")
            }
            self.within = seconds
        }
        if let conditions = fields["where"] { filters = try parseFilters(conditions, name: name) }
    }

    private func parseFilters(_ value: LuaValue, name: String) throws(LuaHostError) -> [Filter] {
        guard case .table(let fields) = value else {
            throw LuaHostError("\(name): where must be a table such as { type = \"cart\" }")
        }
        var filters: [Filter] = []
        for (column, wanted) in fields.sorted(by: { $0.key < $1.key }) {
            let custom = FeatureSource.isCustom(column)
            if custom, let why = FeatureSource.customKeyProblem(FeatureSource.key(of: column)) {
                throw LuaHostError("\(name): cannot filter \(source.rawValue) on '\(column)': \(why)")
            }
            // A custom column (`props.*`) has no declared type: `type` is nil.
            let type = source.columns[column]
            guard custom || type != nil, column != "ts" else {
                let known = source.columns.keys.filter { $0 != "ts" }.sorted().joined(separator: ", ")
                throw LuaHostError(
                    "\(name): cannot filter \(source.rawValue) on '\(column)' (known: \(known), or a custom column 'props.<name>')")
            }
            let items: [LuaValue] = if case .array(let list) = wanted { list } else { [wanted] }
            var values: [FilterValue] = []
            for item in items { values.append(try Self.filterValue(item, type: type, column: column, name: name)) }
            filters.append(Filter(column: column, values: values))
        }
        return filters
    }

    private static func filterValue(
        _ item: LuaValue, type: FeatureSource.ColumnType?, column: String, name: String
    ) throws(LuaHostError) -> FilterValue {
        switch (type, item) {
        case (nil, .string(let s)), (.text, .string(let s)): return .text(s)
        case (nil, .bool(let b)): return .integer(b ? 1 : 0)
        case (nil, .integer(let i)): return .integer(i)
        case (nil, .number(let d)): return .real(d)
        case (.bool, .bool(let b)): return .integer(b ? 1 : 0)
        case (.integer, _) where item.intValue != nil: return .integer(item.intValue ?? 0)
        case (.real, _) where item.doubleValue != nil: return .real(item.doubleValue ?? 0)
        default:
            let wanted = type.map { "\($0)" } ?? "string, number or boolean"
            throw LuaHostError("\(name): where.\(column) expects a \(wanted) value, got a \(item.typeName)")
        }
    }
}
