/// Where something is in a query: 1-based line and column (in characters).
public struct QueryPosition: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int

    /// Creates a position from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A comparison operator of the query language.
public enum QueryOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// The SQL spelling.
    var sql: String {
        switch self {
        case .equal: "="
        case .notEqual: "<>"
        default: rawValue
        }
    }

    /// Whether this operator orders values (`<`, `<=`, `>`, `>=`).
    var isOrdering: Bool { self != .equal && self != .notEqual }
}

/// A literal value in a query.
public struct QueryLiteral: Sendable, Hashable {
    /// The literal's value.
    public enum Value: Sendable, Hashable {
        /// A quoted string.
        case string(String)
        /// A number without a fraction, optionally negative.
        case integer(Int64)
        /// A number with a fraction, optionally negative.
        case decimal(Double)
        /// `true` or `false`.
        case bool(Bool)
    }

    /// The parsed value.
    public var value: Value
    /// Where the literal starts in the query.
    public var position: QueryPosition

    /// Creates a literal found at `position`.
    public init(_ value: Value, at position: QueryPosition) {
        self.value = value
        self.position = position
    }

    /// Whether the literal is a number (integer or decimal).
    var isNumber: Bool {
        switch value {
        case .integer, .decimal: true
        default: false
        }
    }
}

/// A name in a query: a member attribute, `attr.<key>`, or a tag or segment.
public struct QueryReference: Sendable, Hashable {
    /// What the name refers to, syntactically.
    public enum Target: Sendable, Hashable {
        /// A bare name: a member attribute or a tag / segment name.
        case name(String)
        /// `attr.<key>`: a key of the member's JSON attributes.
        case jsonAttribute(String)
    }

    /// What the name refers to.
    public var target: Target
    /// Where the name starts in the query.
    public var position: QueryPosition

    /// Creates a reference found at `position`.
    public init(_ target: Target, at position: QueryPosition) {
        self.target = target
        self.position = position
    }

    /// The name as shown in results: `rfm_class`, `region`, `attr.vip`.
    public var displayName: String {
        switch target {
        case .name(let name): name
        case .jsonAttribute(let key): "attr.\(key)"
        }
    }
}

/// An aggregate over a member's orders or events, as in
/// `sum(orders.amount, 90d)` or `count(events, 7d, type in ("cart", "favourite"))`.
public struct QueryAggregate: Sendable, Hashable {
    /// The functions a query may call.
    public static let functions = ["count", "sum", "avg", "min", "max", "days_since"]

    /// An equality or membership condition on the rows counted (`category == "pet"`).
    public struct Filter: Sendable, Hashable {
        /// The column as written (`category`, `props.store`).
        public var column: String
        /// The accepted values.
        public var values: [QueryLiteral]
        /// Where the column name starts.
        public var position: QueryPosition
    }

    /// `count`, `sum`, `avg`, `min`, `max` or `days_since`.
    public var function: String
    /// `orders` or `events`.
    public var source: String
    /// The column, as written after the source (`amount`, `quantity`, `props.quantity`).
    public var column: String?
    /// The window as written (`90d`): only rows newer than as-of minus it count.
    public var window: String?
    /// Conditions every counted row meets.
    public var filters: [Filter]
    /// Where the function name starts.
    public var position: QueryPosition
    /// The call as a result column names it: `sum(orders.amount, 90d)`.
    public var text: String
}

/// The syntax tree of a query.
public indirect enum QueryExpression: Sendable, Hashable {
    /// Every operand holds.
    case and([QueryExpression])
    /// At least one operand holds.
    case or([QueryExpression])
    /// The operand does not hold.
    case not(QueryExpression)
    /// `name <op> literal`.
    case compare(QueryReference, QueryOperator, QueryLiteral)
    /// `name in (...)` or, negated, `name not in (...)`.
    case list(QueryReference, [QueryLiteral], negated: Bool)
    /// `has(name)`: the member has the tag (any value) or the attribute is set.
    case has(QueryReference)
    /// A bare name: a flag tag or segment the member has.
    case bare(QueryReference)
    /// `aggregate <op> number`: a condition on the member's orders or events.
    case aggregate(QueryAggregate, QueryOperator, QueryLiteral)
}
