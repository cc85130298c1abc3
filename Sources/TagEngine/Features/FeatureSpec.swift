/// One declared feature: an aggregate over a member's orders or events.
///
/// Built by the rule DSL (`count("orders", { within = "30d" })`) and compiled
/// by ``FeaturePlan`` into grouped SQL, so that a run scans each table once.
public struct FeatureSpec: Sendable, Hashable {
    /// The aggregate functions rules may call.
    public enum Function: String, Sendable, Hashable, CaseIterable {
        /// Named as in the DSL: rows, total, mean, smallest, largest, the column on the
        /// earliest / latest row, distinct values, most frequent value.
        case count, sum, avg, min, max, first, last, distinct, mode
        /// `days_since`: whole days from the latest row to the as-of time.
        case daysSinceLast = "days_since"
        /// `days_since(first "source.ts")`: whole days from the earliest row to the as-of time.
        case daysSinceFirst = "days_since_first"
        /// `active_days`: distinct UTC days with a row (purchases counted once per day).
        case activeDays = "active_days"
    }

    /// An equality (or membership) condition on a column.
    public struct Filter: Sendable, Hashable {
        /// The column.
        public var column: String
        /// The accepted values (one means `=`, several mean `IN`).
        public var values: [FilterValue]
    }

    /// A filter value, typed like its column.
    public enum FilterValue: Sendable, Hashable {
        /// Text, an integer (booleans as 0 or 1), or a real.
        case text(String), integer(Int64), real(Double)
    }

    /// The aggregate.
    public var function: Function
    /// The table.
    public var source: FeatureSource
    /// The column aggregated (`nil` for `count`).
    public var column: String?
    /// Only rows newer than `asOf - within` seconds count (`nil`: all history up to as-of).
    public var within: Int64?
    /// Conditions every counted row meets, sorted by column.
    public var filters: [Filter]

    /// The type of the feature's value as `evaluate` sees it.
    public var resultType: FeatureSource.ColumnType {
        switch function {
        case .count, .distinct, .daysSinceLast, .daysSinceFirst, .activeDays: return .integer
        case .sum, .avg: return .real
        case .min, .max, .first, .last, .mode:
            if let column, FeatureSource.isCustom(column) { return function == .min || function == .max ? .real : .text }
            return column.flatMap { source.columns[$0] } ?? .integer
        }
    }

    /// Whether it aggregates numbers of a custom column, whose values the
    /// host must check (a text value there fails the run, naming the row).
    var checksNumbers: Bool {
        guard let column, FeatureSource.isCustom(column) else { return false }
        return [.sum, .avg, .min, .max].contains(function)
    }

    /// Whether its values are whole numbers far below 2^24 (counts, distinct
    /// values, days), which a ``FeatureColumn`` keeps in 4 bytes.
    public var isWhole: Bool {
        switch function {
        case .count, .distinct, .daysSinceLast, .daysSinceFirst, .activeDays: true
        default: false
        }
    }

    /// The value a member with no matching rows gets (`nil` when there is none).
    public var emptyValue: Double? {
        switch function {
        case .count, .distinct, .sum, .activeDays: return 0
        default: return nil
        }
    }

    /// Whether the host computes it from rows streamed in member order rather
    /// than a SQL aggregate (`mode`, and `first`/`last` of a column other than `ts`).
    public var isStreamed: Bool {
        switch function {
        case .mode: return true
        case .first, .last: return column != "ts"
        default: return false
        }
    }
}

extension FeatureSpec {
    /// For a `days_since` feature, the aggregate of `ts` it is derived from
    /// (the latest or the earliest row): incremental runs keep it, so that
    /// whole days can be recounted as time passes without a query.
    var rawTimestamp: FeatureSpec? {
        switch function {
        case .daysSinceLast: FeatureSpec(function: .max, source: source, column: "ts", within: within, filters: filters)
        case .daysSinceFirst: FeatureSpec(function: .min, source: source, column: "ts", within: within, filters: filters)
        default: nil
        }
    }

    /// Whole days from `timestamp` to `asOf`, as `days_since` counts them.
    static func days(from timestamp: Double, to asOf: Int64) -> Double {
        ((Double(asOf) - timestamp) / 86_400).rounded(.down)
    }
}
