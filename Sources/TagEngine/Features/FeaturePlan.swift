import GRDB

/// Compiles a set of features into as few SQL queries as possible: one grouped
/// aggregate per source table for every plain aggregate, plus one grouped
/// query per `mode` or `first`/`last` of a non-`ts` column.
struct FeaturePlan {
    /// One SQL statement and the features its columns (after `member_id`) fill.
    struct Query {
        var sql: String
        var arguments: StatementArguments
        var features: [FeatureSpec]
        var isMode: Bool
        /// Features over numbers of a custom column: after the features'
        /// columns, one column each holding the first counted row whose value
        /// is not a number (`NULL` when every value is one).
        var checks: [FeatureSpec] = []
    }

    let queries: [Query]

    /// - Parameter members: restrict every query to these store ids (realtime
    ///   evaluation of a few members); `nil` for everyone.
    init(features: Set<FeatureSpec>, asOf: Int64, members: [Int64]? = nil) {
        let memberFilter = members.map { ids in " AND member_id IN (\(ids.map(String.init).joined(separator: ",")))" } ?? ""
        var queries: [Query] = []
        let sorted = features.sorted { "\($0)" < "\($1)" }
        for source in FeatureSource.allCases {
            let plain = sorted.filter { $0.source == source && !$0.isStreamed }
            if !plain.isEmpty {
                var arguments: StatementArguments = []
                var columns = plain.map { spec in Self.aggregate(spec, asOf: asOf, arguments: &arguments) }
                let checks = plain.filter(\.checksNumbers)
                columns += checks.map { spec in Self.check(spec, asOf: asOf, arguments: &arguments) }
                arguments += [asOf]
                let sql = "SELECT member_id, \(columns.joined(separator: ", ")) FROM \(source.rawValue) "
                    + "WHERE ts <= ?\(memberFilter) GROUP BY member_id ORDER BY member_id"
                queries.append(Query(sql: sql, arguments: arguments, features: plain, isMode: false, checks: checks))
            }
            for spec in sorted where spec.source == source && spec.isStreamed {
                queries.append(Self.streamed(spec, asOf: asOf, memberFilter: memberFilter))
            }
        }
        self.queries = queries
    }

    /// `agg(...) FILTER (WHERE ...)` for a plain aggregate.
    private static func aggregate(_ spec: FeatureSpec, asOf: Int64, arguments: inout StatementArguments) -> String {
        let expression = self.expression(spec)
        guard let condition = self.condition(spec, asOf: asOf, arguments: &arguments) else { return expression }
        return "\(expression) FILTER (WHERE \(condition))"
    }

    /// The SQL aggregate of a plain feature, over the rows it counts
    /// (`days_since` gives the latest or earliest `ts`).
    static func expression(_ spec: FeatureSpec) -> String {
        let column = FeatureSource.numberSQL(spec.column ?? "ts")
        switch spec.function {
        case .count: return "count(*)"
        case .sum: return "total(\(column))"
        case .avg: return "avg(\(column))"
        case .min, .first, .daysSinceFirst: return "min(\(column))"
        case .max, .last, .daysSinceLast: return "max(\(column))"
        case .distinct: return "count(DISTINCT \(FeatureSource.textSQL(spec.column ?? "ts")))"
        case .activeDays: return "count(DISTINCT ts - (ts % 86400 + 86400) % 86400)"  // UTC day starts, also before 1970
        case .mode: return "NULL"
        }
    }

    /// The smallest row id among the rows `spec` counts whose custom column
    /// holds something other than a number (or JSON null).
    private static func check(_ spec: FeatureSpec, asOf: Int64, arguments: inout StatementArguments) -> String {
        let type = FeatureSource.typeSQL(spec.column ?? "")
        let expression = "min(CASE WHEN \(type) NOT IN ('integer', 'real', 'null') THEN id END)"
        guard let condition = self.condition(spec, asOf: asOf, arguments: &arguments) else { return expression }
        return "\(expression) FILTER (WHERE \(condition))"
    }

    /// The window and filters of `spec` as SQL, binding their values.
    static func condition(_ spec: FeatureSpec, asOf: Int64, arguments: inout StatementArguments) -> String? {
        var values: [DatabaseValue] = []
        let sql = condition(spec, asOf: asOf, values: &values)
        arguments += StatementArguments(values)
        return sql
    }

    /// ``condition(_:asOf:arguments:)`` appending the bound values to `values`.
    static func condition(_ spec: FeatureSpec, asOf: Int64, values: inout [DatabaseValue]) -> String? {
        var parts: [String] = []
        if let within = spec.within {
            parts.append("ts > ?")
            values.append((asOf - within).databaseValue)
        }
        for filter in spec.filters {
            guard FeatureSource.isCustom(filter.column) else {
                parts.append(membership(filter.column, filter.values, values: &values))
                continue
            }
            // A custom value is text, a number or a boolean: text values
            // compare with its text, numbers (and booleans, 1 / 0) with its number.
            let texts = filter.values.filter { if case .text = $0 { true } else { false } }
            let numbers = filter.values.filter { if case .text = $0 { false } else { true } }
            var either: [String] = []
            if !texts.isEmpty { either.append(membership(FeatureSource.textSQL(filter.column), texts, values: &values)) }
            if !numbers.isEmpty { either.append(membership(FeatureSource.sql(filter.column), numbers, values: &values)) }
            parts.append(either.isEmpty ? "0" : "(\(either.joined(separator: " OR ")))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// `expression = ?` or `expression IN (?, ...)`, binding `filterValues`.
    private static func membership(
        _ expression: String, _ filterValues: [FeatureSpec.FilterValue], values: inout [DatabaseValue]
    ) -> String {
        for value in filterValues {
            switch value {
            case .text(let s): values.append(s.databaseValue)
            case .integer(let i): values.append(i.databaseValue)
            case .real(let d): values.append(d.databaseValue)
            }
        }
        let marks = Array(repeating: "?", count: filterValues.count).joined(separator: ", ")
        return filterValues.count == 1 ? "\(expression) = ?" : "\(expression) IN (\(marks))"
    }

    /// A query for `mode` or `first`/`last` of a non-`ts` column.
    private static func streamed(_ spec: FeatureSpec, asOf: Int64, memberFilter: String) -> Query {
        var arguments: StatementArguments = [asOf]
        var conditionSQL = memberFilter
        // The member filter (realtime evaluation of a few members) always stays.
        if let condition = condition(spec, asOf: asOf, arguments: &arguments) { conditionSQL += " AND \(condition)" }
        let column = FeatureSource.textSQL(spec.column ?? "ts")
        let source = spec.source.rawValue
        if spec.function == .mode {
            let sql = "SELECT member_id, \(column), count(*), max(ts) FROM \(source) WHERE ts <= ?\(conditionSQL) "
                + "AND \(column) IS NOT NULL GROUP BY member_id, \(column) ORDER BY member_id"
            return Query(sql: sql, arguments: arguments, features: [spec], isMode: true)
        }
        // SQLite fills a bare column from the row that holds the min()/max().
        let pick = spec.function == .first ? "min(ts)" : "max(ts)"
        let sql = "SELECT member_id, \(column), \(pick) FROM \(source) WHERE ts <= ?\(conditionSQL) "
            + "GROUP BY member_id ORDER BY member_id"
        return Query(sql: sql, arguments: arguments, features: [spec], isMode: false)
    }
}
