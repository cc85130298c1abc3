import Foundation

extension QueryParser {
    /// `sum(orders.amount, 90d) > 500`: an aggregate compared with a number.
    mutating func parseAggregateCondition() throws(QueryError) -> QueryExpression {
        let aggregate = try parseAggregate()
        guard case .op(let op) = current.kind else {
            throw fail("expected a comparison (==, !=, <, <=, >, >=) after \(aggregate.text) (found \(current.quoted))", at: current)
        }
        _ = advance()
        let token = current
        let value = try parseValue()
        guard value.isNumber else {
            throw fail("\(aggregate.text) is a number: compare it with a number (found \(token.quoted))", at: token)
        }
        return .aggregate(aggregate, op, value)
    }

    /// `function(source[.column] [, window] [, filter]...)`.
    private mutating func parseAggregate() throws(QueryError) -> QueryAggregate {
        let start = advance()
        let function = start.text.lowercased()
        _ = advance()  // (
        let sourceToken = current
        guard case .name(let source) = sourceToken.kind else {
            throw fail("expected orders or events in \(function)(...) (found \(current.quoted))", at: current)
        }
        _ = advance()
        var column: String?
        if current.kind == .dot {
            _ = advance()
            column = try parseColumnName(after: source)
        }
        var parts = [column.map { "\(source).\($0)" } ?? source]
        var window: String?
        var filters: [QueryAggregate.Filter] = []
        while current.kind == .comma {
            _ = advance()
            if case .duration(let text) = current.kind, window == nil, filters.isEmpty {
                window = text
                parts.append(text)
                _ = advance()
                continue
            }
            guard case .name = current.kind else {
                throw fail(
                    "expected \(window == nil && filters.isEmpty ? "a window such as 90d or " : "")a condition such as category == \"pet\" "
                        + "in \(function)(...) (found \(current.quoted))", at: current)
            }
            let filter = try parseFilter()
            parts.append(filter.text)
            filters.append(filter.filter)
        }
        guard current.kind == .rightParen else {
            throw fail("expected ',' or ')' in \(function)(...) opened at column \(start.position.column) (found \(current.quoted))", at: current)
        }
        _ = advance()
        return QueryAggregate(
            function: function, source: source, column: column, window: window, filters: filters, position: start.position,
            text: "\(function)(\(parts.joined(separator: ", ")))")
    }

    /// A column after `source.` or in a filter: `amount`, `quantity`, `props.quantity`.
    private mutating func parseColumnName(after context: String) throws(QueryError) -> String {
        guard case .name(var name) = current.kind else {
            throw fail("expected a column name after '\(context).' (found \(current.quoted))", at: current)
        }
        _ = advance()
        if name == "props", current.kind == .dot {
            _ = advance()
            guard case .name(let key) = current.kind else {
                throw fail("expected a custom column name after 'props.' (found \(current.quoted))", at: current)
            }
            _ = advance()
            name = "props.\(key)"
        }
        return name
    }

    /// `column == value` or `column in (...)` inside an aggregate.
    private mutating func parseFilter() throws(QueryError) -> (filter: QueryAggregate.Filter, text: String) {
        let position = current.position
        let column = try parseColumnName(after: "")
        let values: [QueryLiteral]
        let shown: String
        switch current.kind {
        case .op(.equal):
            _ = advance()
            values = [try parseValue()]
            shown = "\(column) == \(values[0].displayText)"
        case .in:
            _ = advance()
            values = try parseList()
            shown = "\(column) in (\(values.map(\.displayText).joined(separator: ", ")))"
        default:
            throw fail("expected '==' or 'in' after '\(column)' in a condition on rows (found \(current.quoted))", at: current)
        }
        return (QueryAggregate.Filter(column: column, values: values, position: position), shown)
    }
}

extension QueryLiteral {
    /// The literal as a query would spell it: `"pet"`, `12`, `2.5`, `true`.
    var displayText: String {
        switch value {
        case .string(let s): "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .integer(let n): String(n)
        case .decimal(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        }
    }
}
