/// A recursive-descent parser for the member query language.
///
/// ```
/// query      := or END
/// or         := and (("or" | "||") and)*
/// and        := unary (("and" | "&&") unary)*
/// unary      := ("not" | "!") unary | primary
/// primary    := "(" or ")"
///             | "has" "(" reference ")"
///             | aggregate op (INTEGER | DECIMAL)
///             | reference [ op value | "in" list | "not" "in" list ]
/// aggregate  := FUNCTION "(" source ["," DURATION] ("," filter)* ")"
/// source     := ("orders" | "events") ["." NAME ["." NAME]]
/// filter     := NAME ["." NAME] ("==" value | "in" list)
///             | reference [ op value | "in" list | "not" "in" list ]
/// reference  := NAME | "attr" "." (NAME | STRING)
/// op         := "==" | "!=" | "<" | "<=" | ">" | ">="
/// list       := "(" value ("," value)* ")"
/// value      := STRING | INTEGER | DECIMAL | "true" | "false"
/// ```
///
/// Limits keep a hostile query from exhausting the stack or SQLite's
/// expression depth: at most ``maxDepth`` nested parentheses / `not`s,
/// ``maxConditions`` conditions and ``maxValues`` values.
struct QueryParser {
    static let maxDepth = 64
    static let maxConditions = 256
    static let maxValues = 5_000

    let query: String
    private let tokens: [QueryToken]
    private var index = 0
    private var depth = 0
    private var conditions = 0
    private var values = 0

    init(_ query: String) throws(QueryError) {
        self.query = query
        tokens = try QueryLexer.tokens(query)
    }

    /// Parses `query` into its syntax tree.
    static func parse(_ query: String) throws(QueryError) -> QueryExpression {
        var parser = try QueryParser(query)
        return try parser.parseQuery()
    }

    var current: QueryToken { tokens[index] }
    var previous: QueryToken? { index > 0 ? tokens[index - 1] : nil }
    func peek(_ offset: Int = 1) -> QueryToken { tokens[min(index + offset, tokens.count - 1)] }

    mutating func advance() -> QueryToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func fail(_ message: String, at token: QueryToken) -> QueryError {
        QueryError(query: query, at: token.position, message)
    }

    /// "after 'x' " when there is a previous token.
    var afterPrevious: String { previous.map { " after \($0.quoted)" } ?? "" }

    mutating func parseQuery() throws(QueryError) -> QueryExpression {
        if current.kind == .end { throw fail("empty query", at: current) }
        let expression = try parseOr()
        switch current.kind {
        case .end: return expression
        case .rightParen: throw fail("unexpected ')' with no matching '('", at: current)
        default: throw fail("expected 'and', 'or' or the end of the query (found \(current.quoted))", at: current)
        }
    }

    private mutating func parseOr() throws(QueryError) -> QueryExpression {
        var operands = [try parseAnd()]
        while current.kind == .or {
            _ = advance()
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseAnd() throws(QueryError) -> QueryExpression {
        var operands = [try parseUnary()]
        while current.kind == .and {
            _ = advance()
            operands.append(try parseUnary())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseUnary() throws(QueryError) -> QueryExpression {
        if current.kind == .not {
            try enter()
            _ = advance()
            let operand = try parseUnary()
            depth -= 1
            return .not(operand)
        }
        return try parsePrimary()
    }

    /// One more level of `(` or `not`.
    private mutating func enter() throws(QueryError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("the query nests more than \(Self.maxDepth) levels of parentheses and 'not'", at: current) }
    }

    /// One more condition (a comparison, list, has() or bare name).
    mutating func countCondition(at token: QueryToken) throws(QueryError) {
        conditions += 1
        if conditions > Self.maxConditions { throw fail("the query has more than \(Self.maxConditions) conditions", at: token) }
    }

    private mutating func parsePrimary() throws(QueryError) -> QueryExpression {
        let token = current
        switch token.kind {
        case .leftParen:
            try enter()
            _ = advance()
            let inner = try parseOr()
            depth -= 1
            guard current.kind == .rightParen else {
                throw fail("expected ')' to close the '(' at column \(token.position.column) (found \(current.quoted))", at: current)
            }
            _ = advance()
            return inner
        case .name(let name) where name.lowercased() == "has" && peek().kind == .leftParen:
            try countCondition(at: token)
            _ = advance()
            _ = advance()
            let reference = try parseReference(context: "in has(...)")
            guard current.kind == .rightParen else {
                throw fail("expected ')' to close has(...) (found \(current.quoted))", at: current)
            }
            _ = advance()
            return .has(reference)
        case .name(let name) where QueryAggregate.functions.contains(name.lowercased()) && peek().kind == .leftParen:
            try countCondition(at: token)
            return try parseAggregateCondition()
        case .name:
            try countCondition(at: token)
            let reference = try parseReference(context: "")
            return try parseCondition(on: reference)
        case .string, .integer, .decimal, .true, .false:
            throw fail("expected a tag, segment or attribute name before the value \(token.quoted) (the name comes first, as in region == \"south\")", at: token)
        case .end:
            throw fail("expected a condition\(afterPrevious) (found the end of the query)", at: token)
        default:
            throw fail("expected a condition\(afterPrevious) (found \(token.quoted))", at: token)
        }
    }

    /// A name, or `attr.<key>`.
    private mutating func parseReference(context: String) throws(QueryError) -> QueryReference {
        let token = current
        guard case .name(let name) = token.kind else {
            throw fail("expected a tag, segment or attribute name\(context.isEmpty ? "" : " " + context) (found \(token.quoted))", at: token)
        }
        _ = advance()
        guard name == "attr", current.kind == .dot else { return QueryReference(.name(name), at: token.position) }
        _ = advance()
        switch current.kind {
        case .name(let key):
            _ = advance()
            return QueryReference(.jsonAttribute(key), at: token.position)
        case .string(let key) where !key.isEmpty && !key.contains("\""):
            _ = advance()
            return QueryReference(.jsonAttribute(key), at: token.position)
        case .string:
            throw fail("attribute key \(current.quoted) must be non-empty and contain no double quote", at: current)
        default:
            throw fail("expected an attribute key after 'attr.' (as in attr.vip or attr.\"key\") (found \(current.quoted))", at: current)
        }
    }

    /// What follows a name: an operator and a value, `in (...)`, `not in (...)`, or nothing.
    private mutating func parseCondition(on reference: QueryReference) throws(QueryError) -> QueryExpression {
        switch current.kind {
        case .op(let op):
            _ = advance()
            return .compare(reference, op, try parseValue())
        case .in:
            _ = advance()
            return .list(reference, try parseList(), negated: false)
        case .not where peek().kind == .in:
            _ = advance()
            _ = advance()
            return .list(reference, try parseList(), negated: true)
        case .string, .integer, .decimal, .true, .false, .name:
            throw fail(
                "expected an operator (==, !=, <, <=, >, >=, in, not in) after '\(reference.displayName)' (found \(current.quoted))",
                at: current)
        default:
            return .bare(reference)
        }
    }

    mutating func parseValue() throws(QueryError) -> QueryLiteral {
        let token = current
        let value: QueryLiteral.Value
        switch token.kind {
        case .string(let text): value = .string(text)
        case .integer(let number): value = .integer(number)
        case .decimal(let number): value = .decimal(number)
        case .true: value = .bool(true)
        case .false: value = .bool(false)
        default:
            throw fail("expected a value\(afterPrevious) (found \(token.quoted))", at: token)
        }
        values += 1
        if values > Self.maxValues { throw fail("the query has more than \(Self.maxValues) values", at: token) }
        _ = advance()
        return QueryLiteral(value, at: token.position)
    }

    mutating func parseList() throws(QueryError) -> [QueryLiteral] {
        guard current.kind == .leftParen else {
            throw fail("expected '('\(afterPrevious), as in in (\"a\", \"b\") (found \(current.quoted))", at: current)
        }
        let open = advance()
        var values = [try parseValue()]
        while true {
            switch current.kind {
            case .comma:
                _ = advance()
                values.append(try parseValue())
            case .rightParen:
                _ = advance()
                return values
            default:
                throw fail(
                    "expected ',' or ')' in the list opened at column \(open.position.column) (found \(current.quoted))", at: current)
            }
        }
    }
}
