import GRDB
import MemberStore

/// A member attribute that queries can name directly.
enum MemberAttribute: String, CaseIterable, Sendable {
    case region, channel, gender, level, birthday
    case registeredAt = "registered_at"
    case externalID = "external_id"

    /// The column, qualified with the `m` alias of `members`.
    var column: String { "m.\(rawValue)" }
}

/// An active tag or segment a query can name.
struct QueryTag: Sendable, Hashable {
    var id: Int64
    var name: String
    /// `tag` or `segment`.
    var kind: String
    /// The live version's value kind: `flag`, `enum`, `score`, `label`.
    var valueKind: String?

    /// A flag tag or a segment: membership is having a row (value `"true"`).
    var isFlag: Bool { kind == "segment" || valueKind == TagKind.flag.rawValue }

    var describedKind: String { kind == "segment" ? "segment" : "\(valueKind ?? "") tag" }
}

/// Compiles a query's syntax tree to a parameterized SQL condition over
/// `members m`.
///
/// Shapes (every literal is a bound `?`):
/// - `tag == "v"`: `m.id IN (SELECT member_id FROM member_tags WHERE tag_id = ? AND value = ?)`
///   (index `member_tags_value(tag_id, value)`); a number literal compares
///   `CAST(value AS REAL)` instead; `!=`, `<`... and `in (...)` likewise.
/// - `has(tag)` or a bare flag / segment: `m.id IN (SELECT member_id FROM member_tags WHERE tag_id = ?)`.
/// - `region == "south"`: `m.region = ?` (indexed for region, level, channel, gender).
/// - `attr.key == v`: `json_extract(m.attrs, ?) = ?` with the path `$."key"`.
/// - `sum(orders.amount, 90d) > 500`: `m.id IN (SELECT member_id FROM orders
///   WHERE ts <= ? AND ts > ? GROUP BY member_id HAVING total(amount) > ?)`;
///   when members without rows satisfy it (`count(orders, 30d) < 2`), the
///   complement: `m.id NOT IN (... HAVING NOT (count(*) < ?))`.
/// - `and` / `or` / `not` map to SQL's.
///
/// Logic is two-valued: a comparison with a missing value (no tag row, NULL
/// attribute) is false, so `region != "south"` excludes members without a
/// region while `not region == "south"` includes them. A `not` over a
/// condition that can be NULL compiles to `NOT coalesce(c, 0)`.
struct QueryCompiler {
    let query: String
    let tags: [String: QueryTag]
    /// Every known tag or segment name with its state (for "is retired" errors).
    let states: [String: String]

    var arguments: [DatabaseValue] = []
    var columns: [CompiledQuery.Column] = []
    /// Aggregates over numbers of a custom column, whose rows must hold
    /// numbers (checked against the store once compiled).
    var numberChecks: [(spec: FeatureSpec, position: QueryPosition)] = []
    /// Whether the query has an aggregate condition.
    var hasAggregates = false
    /// The time aggregates count up to (rows after it never count) and
    /// their windows end at, epoch seconds.
    let asOf: Int64
    private(set) var usedTags: [String] = []

    /// A compiled condition; `nullable` when it can be SQL NULL.
    struct Fragment {
        var sql: String
        var nullable: Bool
    }

    /// Reads the active tags and segments.
    init(query: String, db: Database, asOf: Int64) throws {
        self.query = query
        self.asOf = asOf
        var tags: [String: QueryTag] = [:]
        var states: [String: String] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT t.id, t.name, t.kind, t.state, v.value_kind FROM tags t LEFT JOIN tag_versions v ON v.id = t.live_version_id
            """)
        for row in rows {
            let name: String = row["name"]
            let state: String = row["state"]
            states[name] = state
            if state == TagState.active.rawValue {
                tags[name] = QueryTag(id: row["id"], name: name, kind: row["kind"], valueKind: row["value_kind"])
            }
        }
        self.tags = tags
        self.states = states
    }

    func fail(_ message: String, at position: QueryPosition) -> QueryError {
        QueryError(query: query, at: position, message)
    }

    /// What a reference resolves to.
    private enum Resolved {
        case attribute(MemberAttribute)
        case json(path: String)
        case tag(QueryTag)
    }

    private mutating func resolve(_ reference: QueryReference) throws(QueryError) -> Resolved {
        let resolved: Resolved
        switch reference.target {
        case .jsonAttribute(let key):
            resolved = .json(path: "$.\"\(key)\"")
        case .name(let name):
            if let attribute = MemberAttribute(rawValue: name) {
                resolved = .attribute(attribute)
            } else if let tag = tags[name] {
                resolved = .tag(tag)
                if !usedTags.contains(name) { usedTags.append(name) }
            } else if let state = states[name] {
                throw fail("'\(name)' is a \(state) tag; only active tags and segments can be queried", at: reference.position)
            } else {
                let close = closeNames(to: name)
                let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"
                throw fail(
                    "unknown name '\(name)': not a member attribute, attr.<key>, or an active tag or segment\(hint)",
                    at: reference.position)
            }
        }
        addColumn(reference.displayName, resolved)
        return resolved
    }

    private mutating func addColumn(_ name: String, _ resolved: Resolved) {
        guard !columns.contains(where: { $0.name == name }) else { return }
        switch resolved {
        case .attribute(let attribute):
            columns.append(CompiledQuery.Column(name: name, sql: attribute.column, arguments: []))
        case .json(let path):
            columns.append(CompiledQuery.Column(name: name, sql: "json_extract(m.attrs, ?)", arguments: [path.databaseValue]))
        case .tag(let tag):
            columns.append(CompiledQuery.Column(
                name: name, sql: "(SELECT value FROM member_tags WHERE tag_id = ? AND member_id = m.id)",
                arguments: [tag.id.databaseValue]))
        }
    }

    /// Names within a small edit distance of `name`, or containing it, closest first.
    func closeNames(to name: String) -> [String] {
        let candidates = MemberAttribute.allCases.map(\.rawValue) + tags.keys
        let limit = max(2, name.count / 3)
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let distance = EditDistance.between(name.lowercased(), candidate)
            if distance <= limit { return (candidate, distance) }
            if name.count >= 3, candidate.contains(name.lowercased()) || name.lowercased().contains(candidate) {
                return (candidate, limit + 1)
            }
            return nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(5).map(\.0)
    }

    mutating func bind(_ value: DatabaseValue) -> String {
        arguments.append(value)
        return "?"
    }

    // MARK: Compiling

    mutating func compile(_ expression: QueryExpression) throws(QueryError) -> Fragment {
        switch expression {
        case .and(let operands), .or(let operands):
            var parts: [Fragment] = []
            for operand in operands { parts.append(try compile(operand)) }
            let joiner: String
            if case .and = expression { joiner = " AND " } else { joiner = " OR " }
            return Fragment(
                sql: "(" + parts.map(\.sql).joined(separator: joiner) + ")", nullable: parts.contains(where: \.nullable))
        case .not(let operand):
            let inner = try compile(operand)
            return Fragment(sql: inner.nullable ? "NOT coalesce(\(inner.sql), 0)" : "NOT \(inner.sql)", nullable: false)
        case .has(let reference):
            switch try resolve(reference) {
            case .tag(let tag): return hasTag(tag)
            case .attribute(let attribute): return Fragment(sql: "\(attribute.column) IS NOT NULL", nullable: false)
            case .json(let path): return Fragment(sql: "json_extract(m.attrs, \(bind(path.databaseValue))) IS NOT NULL", nullable: false)
            }
        case .bare(let reference):
            let resolved = try resolve(reference)
            switch resolved {
            case .tag(let tag) where tag.isFlag:
                return hasTag(tag)
            case .tag(let tag):
                throw fail(
                    "'\(tag.name)' is \(article(tag.describedKind)) \(tag.describedKind): compare its value, as in \(tag.name) == \"...\", or use has(\(tag.name))",
                    at: reference.position)
            case .attribute, .json:
                throw fail(
                    "'\(reference.displayName)' is a member attribute: compare it, as in \(reference.displayName) == \"...\", or use has(\(reference.displayName))",
                    at: reference.position)
            }
        case .compare(let reference, let op, let literal):
            return try compare(try resolve(reference), reference, op, literal)
        case .list(let reference, let literals, let negated):
            return try list(try resolve(reference), reference, literals, negated: negated)
        case .aggregate(let aggregate, let op, let literal):
            return try compare(aggregate, op, literal)
        }
    }

    private func article(_ word: String) -> String { word.first.map { "aeiou".contains($0) } == true ? "an" : "a" }

    private mutating func hasTag(_ tag: QueryTag) -> Fragment {
        Fragment(sql: "m.id IN (SELECT member_id FROM member_tags WHERE tag_id = \(bind(tag.id.databaseValue)))", nullable: false)
    }

    /// `m.id IN (SELECT member_id FROM member_tags WHERE tag_id = ? AND <condition on value>)`.
    private mutating func tagCondition(_ tag: QueryTag, _ condition: (inout QueryCompiler) -> String) -> Fragment {
        let id = bind(tag.id.databaseValue)
        let sql = "m.id IN (SELECT member_id FROM member_tags WHERE tag_id = \(id) AND \(condition(&self)))"
        return Fragment(sql: sql, nullable: false)
    }

    private func orderingCheck(_ op: QueryOperator, _ literal: QueryLiteral) throws(QueryError) {
        if op.isOrdering, case .bool = literal.value {
            throw fail("cannot compare with \(op.rawValue) against true or false", at: literal.position)
        }
    }

    private mutating func compare(
        _ resolved: Resolved, _ reference: QueryReference, _ op: QueryOperator, _ literal: QueryLiteral
    ) throws(QueryError) -> Fragment {
        try orderingCheck(op, literal)
        switch resolved {
        case .attribute(let attribute):
            let value = try attributeValue(literal, for: attribute)
            return Fragment(sql: "\(attribute.column) \(op.sql) \(bind(value))", nullable: true)
        case .json(let path):
            let pathArgument = bind(path.databaseValue)
            return Fragment(sql: "json_extract(m.attrs, \(pathArgument)) \(op.sql) \(bind(jsonValue(literal)))", nullable: true)
        case .tag(let tag):
            if tag.isFlag, case .bool(let wanted) = literal.value {
                // Flags and segments store only members who have them ("true").
                let has = hasTag(tag)
                return (wanted == (op == .equal)) ? has : Fragment(sql: "NOT \(has.sql)", nullable: false)
            }
            if literal.isNumber {
                let value = numberValue(literal)
                return tagCondition(tag) { "CAST(value AS REAL) \(op.sql) \($0.bind(value))" }
            }
            let value = textValue(literal)
            return tagCondition(tag) { "value \(op.sql) \($0.bind(value))" }
        }
    }

    private mutating func list(
        _ resolved: Resolved, _ reference: QueryReference, _ literals: [QueryLiteral], negated: Bool
    ) throws(QueryError) -> Fragment {
        let keyword = negated ? "NOT IN" : "IN"
        switch resolved {
        case .attribute(let attribute):
            var values: [DatabaseValue] = []
            for literal in literals { values.append(try attributeValue(literal, for: attribute)) }
            let placeholders = values.map { bind($0) }.joined(separator: ", ")
            return Fragment(sql: "\(attribute.column) \(keyword) (\(placeholders))", nullable: true)
        case .json(let path):
            let pathArgument = bind(path.databaseValue)
            let placeholders = literals.map { bind(jsonValue($0)) }.joined(separator: ", ")
            return Fragment(sql: "json_extract(m.attrs, \(pathArgument)) \(keyword) (\(placeholders))", nullable: true)
        case .tag(let tag):
            let numeric = literals[0].isNumber
            if let odd = literals.first(where: { $0.isNumber != numeric }) {
                throw fail(
                    "the list mixes numbers and text; \(tag.name) is compared \(numeric ? "as a number" : "as text") from its first value",
                    at: odd.position)
            }
            let values = literals.map { numeric ? numberValue($0) : textValue($0) }
            return tagCondition(tag) { compiler in
                let placeholders = values.map { compiler.bind($0) }.joined(separator: ", ")
                return "\(numeric ? "CAST(value AS REAL)" : "value") \(keyword) (\(placeholders))"
            }
        }
    }

    func numberValue(_ literal: QueryLiteral) -> DatabaseValue {
        switch literal.value {
        case .integer(let n): Double(n).databaseValue
        case .decimal(let d): d.databaseValue
        default: DatabaseValue.null
        }
    }

    /// A literal as a tag value (tag values are text).
    private func textValue(_ literal: QueryLiteral) -> DatabaseValue {
        switch literal.value {
        case .string(let s): s.databaseValue
        case .integer(let n): String(n).databaseValue
        case .decimal(let d): String(d).databaseValue
        case .bool(let b): (b ? "true" : "false").databaseValue
        }
    }

    /// A literal compared with a JSON attribute (`json_extract` gives 1/0 for true/false).
    private func jsonValue(_ literal: QueryLiteral) -> DatabaseValue {
        switch literal.value {
        case .string(let s): s.databaseValue
        case .integer(let n): n.databaseValue
        case .decimal(let d): d.databaseValue
        case .bool(let b): (b ? 1 : 0).databaseValue
        }
    }

    /// A literal compared with a member column; `registered_at` also takes dates.
    private func attributeValue(_ literal: QueryLiteral, for attribute: MemberAttribute) throws(QueryError) -> DatabaseValue {
        if attribute == .registeredAt, case .string(let text) = literal.value {
            switch TimestampParser.parse(text) {
            case .success(let seconds): return seconds.databaseValue
            case .failure:
                throw fail(
                    "registered_at takes a date (\"2024-01-31\"), a date-time or epoch seconds (found \"\(text)\")",
                    at: literal.position)
            }
        }
        return jsonValue(literal)
    }
}
