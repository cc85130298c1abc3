import GRDB
import LuaHost

extension QueryCompiler {
    /// `aggregate <op> number` as a condition on `m.id`.
    mutating func compare(_ aggregate: QueryAggregate, _ op: QueryOperator, _ literal: QueryLiteral) throws(QueryError) -> Fragment {
        let spec = try spec(of: aggregate)
        hasAggregates = true
        if spec.checksNumbers { numberChecks.append((spec, aggregate.position)) }
        let (rows, rowValues) = rowsSQL(spec)
        let (value, valueArguments) = valueSQL(spec)
        let number = numberValue(literal)
        columns.removeAll { $0.name == aggregate.text }
        columns.append(CompiledQuery.Column(
            name: aggregate.text, sql: "(SELECT \(value) \(rows) AND member_id = m.id)", arguments: valueArguments + rowValues))
        // Members without rows have 0 for count and sum: when 0 passes, keep
        // everyone except the members whose rows fail.
        let emptyPasses = spec.emptyValue.map { Self.holds($0, op, Double.fromDatabaseValue(number) ?? 0) } ?? false
        let sql = "m.id \(emptyPasses ? "NOT IN" : "IN") (SELECT member_id \(rows) GROUP BY member_id HAVING "
            + (emptyPasses ? "NOT (\(value) \(op.sql) ?))" : "\(value) \(op.sql) ?)")
        arguments += rowValues + valueArguments + [number]
        return Fragment(sql: sql, nullable: false)
    }

    /// The aggregate as a rule feature, checked with the rule DSL's own
    /// checks (columns and their types, custom columns, windows, filters).
    func spec(of aggregate: QueryAggregate) throws(QueryError) -> FeatureSpec {
        let function = aggregate.function == "days_since" ? FeatureSpec.Function.daysSinceLast : FeatureSpec.Function(rawValue: aggregate.function)
        guard let function else { throw fail("unknown function '\(aggregate.function)'", at: aggregate.position) }
        var options: [String: LuaValue] = [:]
        if let window = aggregate.window { options["within"] = .string(window) }
        var conditions: [String: LuaValue] = [:]
        for filter in aggregate.filters {
            guard conditions[filter.column] == nil else {
                throw fail("'\(filter.column)' has two conditions in \(aggregate.text); list the values with in (...)", at: filter.position)
            }
            conditions[filter.column] = .array(filter.values.map(\.luaValue))
        }
        if !conditions.isEmpty { options["where"] = .table(conditions) }
        let target = aggregate.column.map { "\(aggregate.source).\($0)" } ?? aggregate.source
        do {
            return try FeatureSpec.parse(function: function, arguments: [.string(target), .table(options)])
        } catch {
            throw fail(error.message, at: aggregate.position)
        }
    }

    /// `FROM <source> WHERE ts <= ? AND <window and filters>` and its values.
    private func rowsSQL(_ spec: FeatureSpec) -> (String, [DatabaseValue]) {
        var values: [DatabaseValue] = [asOf.databaseValue]
        let condition = FeaturePlan.condition(spec, asOf: asOf, values: &values)
        return ("FROM \(spec.source.rawValue) WHERE ts <= ?" + (condition.map { " AND \($0)" } ?? ""), values)
    }

    /// The aggregate over a member's rows, as the rule feature computes it.
    private func valueSQL(_ spec: FeatureSpec) -> (String, [DatabaseValue]) {
        let expression = FeaturePlan.expression(spec)
        guard spec.function == .daysSinceLast else { return (expression, []) }
        return ("(? - \(expression)) / 86400", [asOf.databaseValue])
    }

    /// Whether `value <op> number` holds.
    static func holds(_ value: Double, _ op: QueryOperator, _ number: Double) -> Bool {
        switch op {
        case .equal: value == number
        case .notEqual: value != number
        case .less: value < number
        case .lessOrEqual: value <= number
        case .greater: value > number
        case .greaterOrEqual: value >= number
        }
    }

    /// The first row an aggregate over a custom column counts whose value
    /// is not a number, named as a rule run names it.
    func numberProblem(_ spec: FeatureSpec, in db: Database) throws -> String? {
        let (rows, values) = rowsSQL(spec)
        let sql = "SELECT id \(rows) AND \(FeatureSource.typeSQL(spec.column ?? "")) NOT IN ('integer', 'real', 'null') LIMIT 1"
        guard let id = try Int64.fetchOne(db, sql: sql, arguments: StatementArguments(values)) else { return nil }
        return try FeatureComputer.problem(spec, rowID: id, in: db)
    }
}

extension QueryLiteral {
    /// The literal as the rule DSL's `where` values take it.
    var luaValue: LuaValue {
        switch value {
        case .string(let s): .string(s)
        case .integer(let n): .integer(n)
        case .decimal(let d): .number(d)
        case .bool(let b): .bool(b)
        }
    }
}
