import Foundation
import GRDB
import MemberStore

/// An ad-hoc query over members' live tags and attributes, such as
/// `rfm_class == "important_value" and region == "south"`.
///
/// Grammar (keywords case-insensitive):
/// - `or` / `||`, `and` / `&&`, `not` / `!`, parentheses;
/// - `name == value` (also `!= < <= > >=`), `name in (v, ...)`, `name not in (v, ...)`;
/// - values: `"text"` or `'text'` (escapes `\" \' \\ \n \t \r \uXXXX`), integers,
///   decimals, `true`, `false`;
/// - names: the member attributes `region channel gender level birthday
///   registered_at external_id`, `attr.<key>` (a key of the JSON attributes),
///   or an active tag or segment (its live value). A bare flag tag or segment
///   means "has it"; `has(name)` means "has any value" (or "is set" for an
///   attribute). A number literal compares a tag's value numerically.
/// - aggregates over the member's transactions, compared with a number:
///   `count(orders, 30d) >= 2`, `sum(orders.amount, 90d) > 500`,
///   `avg`, `min`, `max` of a column (custom columns too: `sum(orders.quantity)`),
///   `days_since(orders) <= 30`, with an optional window and conditions on
///   the rows: `count(events, 7d, type in ("cart", "favourite")) > 0`.
///
/// A missing value never satisfies a comparison: `region != "south"` leaves
/// out members without a region; `not region == "south"` keeps them.
///
/// ```swift
/// let page = try pool.read { db in try MemberQuery("vip and level >= 3").compile(db).page(db, limit: 100) }
/// ```
public struct MemberQuery: Sendable, Hashable {
    /// The query text.
    public let text: String
    /// Its syntax tree.
    public let expression: QueryExpression

    /// Parses `text`.
    ///
    /// - Throws: ``QueryError`` with the line and column of the problem.
    public init(_ text: String) throws(QueryError) {
        self.text = text
        expression = try QueryParser.parse(text)
    }

    /// Resolves names against the active tags in `db` and compiles to SQL.
    ///
    /// - Throws: ``QueryError`` for an unknown or misused name or value; a
    ///   database error if the tags cannot be read.
    /// - Parameter asOf: the time aggregates (`sum(orders.amount, 90d)`)
    ///   count up to; now by default.
    public func compile(_ db: Database, asOf: Date = Date()) throws -> CompiledQuery {
        var compiler = try QueryCompiler(query: text, db: db, asOf: Int64(asOf.timeIntervalSince1970.rounded(.down)))
        let condition = try compiler.compile(expression)
        for (spec, position) in compiler.numberChecks {
            if let problem = try compiler.numberProblem(spec, in: db) { throw QueryError(query: text, at: position, problem) }
        }
        return CompiledQuery(
            condition: condition.sql, conditionArguments: compiler.arguments,
            columns: compiler.columns, tags: compiler.usedTags, countsInPage: compiler.hasAggregates)
    }
}

/// A query compiled to one parameterized SQL condition over `members m`.
public struct CompiledQuery: Sendable {
    /// A value column: the member's value of one name in the query.
    public struct Column: Sendable, Hashable {
        /// The name as written (`rfm_class`, `region`, `attr.vip`).
        public var name: String
        /// The SQL expression over `m`.
        public var sql: String
        /// Its bound values.
        public var arguments: [DatabaseValue]
    }

    /// The `WHERE` condition.
    public let condition: String
    /// The condition's bound values, in order.
    public let conditionArguments: [DatabaseValue]
    /// The value columns, in order of first mention.
    public let columns: [Column]
    /// The tags and segments the query names (for read statistics).
    public let tags: [String]
    /// Whether a page counts the matches in the same statement
    /// (``countedPageSQL``): for aggregates, whose grouped subqueries cost
    /// more than a second pass over the matching ids.
    public let countsInPage: Bool

    /// `SELECT count(*) FROM members m WHERE <condition>` over live members (not merged into another).
    public var countSQL: String { "SELECT count(*) FROM members m WHERE m.merged_into IS NULL AND (\(condition))" }

    /// One page: `m.id, m.external_id, <columns>` of members after the
    /// cursor `?`, in id order, at most `?` rows.
    public var pageSQL: String {
        let values = columns.map { ", \($0.sql)" }.joined()
        return "SELECT m.id, m.external_id\(values) FROM members m WHERE m.merged_into IS NULL AND (\(condition)) AND m.id > ? ORDER BY m.id LIMIT ?"
    }

    /// ``pageSQL`` that also counts every match (`count(*) OVER ()` over the
    /// matching ids, before the cursor and the limit apply); same arguments.
    public var countedPageSQL: String {
        let values = columns.map { ", \($0.sql)" }.joined()
        return "SELECT m.id, m.external_id\(values), q.total FROM (SELECT m.id, count(*) OVER () AS total FROM members m "
            + "WHERE \(condition)) q JOIN members m ON m.id = q.id WHERE q.id > ? ORDER BY q.id LIMIT ?"
    }

    /// The arguments of ``pageSQL``.
    public func pageArguments(after cursor: Int64, limit: Int) -> StatementArguments {
        StatementArguments(columns.flatMap(\.arguments) + conditionArguments + [cursor.databaseValue, limit.databaseValue])
    }

    /// The arguments of ``countSQL``.
    public var countArguments: StatementArguments { StatementArguments(conditionArguments) }

    /// The number of matching members and up to `limit` of them after
    /// member id `cursor`, in id order. `limit` 0 only counts.
    public func page(_ db: Database, limit: Int, after cursor: Int64 = 0) throws -> QueryPage {
        let counted = countsInPage && limit > 0
        var count = counted ? 0 : try Int.fetchOne(db, sql: countSQL, arguments: countArguments) ?? 0
        guard limit > 0 else { return QueryPage(count: count, items: [], nextCursor: nil) }
        let rows = try Row.fetchAll(db, sql: counted ? countedPageSQL : pageSQL, arguments: pageArguments(after: cursor, limit: limit + 1))
        if counted {
            // A page past the last match has no row to read the count from.
            count = try rows.first.map { $0[2 + columns.count] } ?? (cursor > 0 ? Int.fetchOne(db, sql: countSQL, arguments: countArguments) ?? 0 : 0)
        }
        var items: [QueryItem] = []
        for row in rows.prefix(limit) {
            var values: [String: JSONValue] = [:]
            for (offset, column) in columns.enumerated() {
                values[column.name] = JSONValue(row[2 + offset] as DatabaseValue)
            }
            items.append(QueryItem(member: row[1], values: values))
        }
        let next: Int64? = rows.count > limit ? (rows[limit - 1][0] as Int64) : nil
        return QueryPage(count: count, items: items, nextCursor: next.map(String.init))
    }
}

/// One page of query results.
public struct QueryPage: Codable, Sendable, Hashable {
    /// How many members match in all.
    public var count: Int
    /// Members of this page, in member id order.
    public var items: [QueryItem]
    /// Pass as the cursor for the next page; nil on the last page.
    public var nextCursor: String?

    /// Creates a page.
    public init(count: Int, items: [QueryItem], nextCursor: String?) {
        self.count = count
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A matching member: external id and the values of the names in the query.
public struct QueryItem: Codable, Sendable, Hashable {
    /// The member's external id.
    public var member: String
    /// Each name in the query (`rfm_class`, `region`, `attr.vip`) with the
    /// member's value; null when the member has none.
    public var values: [String: JSONValue]

    /// Creates an item.
    public init(member: String, values: [String: JSONValue]) {
        self.member = member
        self.values = values
    }
}

/// The outcome of ``MemberQuery/run(_:in:limit:cursor:)``.
public struct QueryRun: Sendable {
    /// The page of results.
    public var page: QueryPage
    /// The value columns in order of first mention (`rfm_class`, `region`...).
    public var columns: [String]
    /// The tags and segments the query names.
    public var tags: [String]
}

extension MemberQuery {
    /// Parses, compiles and runs `text` in one read transaction.
    ///
    /// - Parameters:
    ///   - limit: at most this many members (0: only count).
    ///   - cursor: a ``QueryPage/nextCursor`` of an earlier page, or nil for the first.
    /// - Throws: ``QueryError``, ``QueryCursorError``, or a database error.
    ///   - asOf: the time aggregates count up to; now by default.
    public static func run(
        _ text: String, in reader: some DatabaseReader, limit: Int, cursor: String? = nil, asOf: Date = Date()
    ) throws -> QueryRun {
        let query = try MemberQuery(text)
        var after: Int64 = 0
        if let cursor {
            guard let value = Int64(cursor), value >= 0 else { throw QueryCursorError(cursor: cursor) }
            after = value
        }
        return try reader.read { db in
            let compiled = try query.compile(db, asOf: asOf)
            return QueryRun(
                page: try compiled.page(db, limit: limit, after: after), columns: compiled.columns.map(\.name), tags: compiled.tags)
        }
    }
}

/// A cursor that is not a ``QueryPage/nextCursor``.
public struct QueryCursorError: Error, Sendable, CustomStringConvertible {
    /// The cursor as given.
    public let cursor: String
    public var description: String { "invalid cursor '\(cursor)': pass the nextCursor of the previous page" }
}

extension JSONValue {
    /// A SQLite value as JSON: numbers, text, or null.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let n): self = .number(Double(n))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .blob(let data): self = .string(data.base64EncodedString())
        }
    }
}
