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
                let columns = plain.map { spec in Self.aggregate(spec, asOf: asOf, arguments: &arguments) }
                arguments += [asOf]
                let sql = "SELECT member_id, \(columns.joined(separator: ", ")) FROM \(source.rawValue) "
                    + "WHERE ts <= ?\(memberFilter) GROUP BY member_id ORDER BY member_id"
                queries.append(Query(sql: sql, arguments: arguments, features: plain, isMode: false))
            }
            for spec in sorted where spec.source == source && spec.isStreamed {
                queries.append(Self.streamed(spec, asOf: asOf, memberFilter: memberFilter))
            }
        }
        self.queries = queries
    }

    /// `agg(...) FILTER (WHERE ...)` for a plain aggregate.
    private static func aggregate(_ spec: FeatureSpec, asOf: Int64, arguments: inout StatementArguments) -> String {
        let column = spec.column ?? "ts"
        let expression: String
        switch spec.function {
        case .count: expression = "count(*)"
        case .sum: expression = "total(\(column))"
        case .avg: expression = "avg(\(column))"
        case .min, .first, .daysSinceFirst: expression = "min(\(column))"
        case .max, .last, .daysSinceLast: expression = "max(\(column))"
        case .distinct: expression = "count(DISTINCT \(column))"
        case .activeDays: expression = "count(DISTINCT ts - (ts % 86400 + 86400) % 86400)"  // UTC day starts, also before 1970
        case .mode: expression = "NULL"
        }
        guard let condition = self.condition(spec, asOf: asOf, arguments: &arguments) else { return expression }
        return "\(expression) FILTER (WHERE \(condition))"
    }

    /// The window and filters of `spec` as SQL, binding their values.
    static func condition(_ spec: FeatureSpec, asOf: Int64, arguments: inout StatementArguments) -> String? {
        var parts: [String] = []
        if let within = spec.within {
            parts.append("ts > ?")
            arguments += [asOf - within]
        }
        for filter in spec.filters {
            let marks = Array(repeating: "?", count: filter.values.count).joined(separator: ", ")
            parts.append(filter.values.count == 1 ? "\(filter.column) = ?" : "\(filter.column) IN (\(marks))")
            for value in filter.values {
                switch value {
                case .text(let s): arguments += [s]
                case .integer(let i): arguments += [i]
                case .real(let d): arguments += [d]
                }
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// A query for `mode` or `first`/`last` of a non-`ts` column.
    private static func streamed(_ spec: FeatureSpec, asOf: Int64, memberFilter: String) -> Query {
        var arguments: StatementArguments = [asOf]
        var conditionSQL = memberFilter
        // The member filter (realtime evaluation of a few members) always stays.
        if let condition = condition(spec, asOf: asOf, arguments: &arguments) { conditionSQL += " AND \(condition)" }
        let column = spec.column ?? "ts"
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
