/// One token of a query.
struct QueryToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case name(String)
        case string(String)
        case integer(Int64)
        case decimal(Double)
        case op(QueryOperator)
        /// A window such as `90d` (units `s m h d w y`).
        case duration(String)
        case leftParen, rightParen, comma, dot
        case and, or, not, `in`, `true`, `false`
        case end
    }

    var kind: Kind
    /// The token as written (empty at the end).
    var text: String
    var position: QueryPosition

    /// How error messages name the token: `'and'`, `"south"`, `the end of the query`.
    var quoted: String {
        switch kind {
        case .end: "the end of the query"
        case .string: text
        default: "'\(text)'"
        }
    }
}

/// Splits a query into tokens.
///
/// Keywords (`and or not in true false`) are case-insensitive; `&&`, `||`
/// and `!` spell `and`, `or` and `not`. Strings take double or single quotes
/// with the escapes `\" \' \\ \n \t \r \uXXXX`. Numbers are integers or
/// decimals, optionally negative; a whole number followed by a unit
/// (`90d`, `12h`) is a window.
struct QueryLexer {
    let query: String
    private let chars: [Character]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ query: String) {
        self.query = query
        chars = Array(query)
    }

    static func tokens(_ query: String) throws(QueryError) -> [QueryToken] {
        var lexer = QueryLexer(query)
        var tokens: [QueryToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var position: QueryPosition { QueryPosition(line: line, column: column) }
    private var current: Character? { index < chars.count ? chars[index] : nil }
    private func peek(_ offset: Int = 1) -> Character? { index + offset < chars.count ? chars[index + offset] : nil }

    private mutating func advance() {
        if chars[index].isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private func fail(_ message: String, at position: QueryPosition) -> QueryError {
        QueryError(query: query, at: position, message)
    }

    private static func isNameStart(_ c: Character) -> Bool { c == "_" || c.isLetter }
    private static func isNamePart(_ c: Character) -> Bool { isNameStart(c) || isDigit(c) }
    private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    mutating func next() throws(QueryError) -> QueryToken {
        while let c = current, c.isWhitespace { advance() }
        let start = position
        let from = index
        guard let c = current else { return QueryToken(kind: .end, text: "", position: start) }
        func token(_ kind: QueryToken.Kind) -> QueryToken {
            QueryToken(kind: kind, text: String(chars[from..<index]), position: start)
        }
        func two(_ kind: QueryToken.Kind) -> QueryToken {
            advance()
            advance()
            return token(kind)
        }
        func one(_ kind: QueryToken.Kind) -> QueryToken {
            advance()
            return token(kind)
        }
        switch c {
        case "(": return one(.leftParen)
        case ")": return one(.rightParen)
        case ",": return one(.comma)
        case ".": return one(.dot)
        case "\"", "'": return try string(quote: c)
        case "=":
            if peek() == "=" { return two(.op(.equal)) }
            throw fail("unknown operator '=' (did you mean '=='?)", at: start)
        case "!":
            if peek() == "=" { return two(.op(.notEqual)) }
            return one(.not)
        case "<":
            if peek() == "=" { return two(.op(.lessOrEqual)) }
            if peek() == ">" { throw fail("unknown operator '<>' (did you mean '!='?)", at: start) }
            return one(.op(.less))
        case ">":
            if peek() == "=" { return two(.op(.greaterOrEqual)) }
            return one(.op(.greater))
        case "&":
            if peek() == "&" { return two(.and) }
            throw fail("unknown operator '&' (did you mean '&&' or 'and'?)", at: start)
        case "|":
            if peek() == "|" { return two(.or) }
            throw fail("unknown operator '|' (did you mean '||' or 'or'?)", at: start)
        default:
            break
        }
        if Self.isDigit(c) || (c == "-" && peek().map(Self.isDigit) == true) {
            return try number(start: start)
        }
        if Self.isNameStart(c) {
            while let c = current, Self.isNamePart(c) { advance() }
            let text = String(chars[from..<index])
            switch text.lowercased() {
            case "and": return token(.and)
            case "or": return token(.or)
            case "not": return token(.not)
            case "in": return token(.in)
            case "true": return token(.true)
            case "false": return token(.false)
            default: return token(.name(text))
            }
        }
        throw fail("unexpected character '\(c)'", at: start)
    }

    private mutating func number(start: QueryPosition) throws(QueryError) -> QueryToken {
        let from = index
        if current == "-" { advance() }
        while let c = current, Self.isDigit(c) { advance() }
        var isDecimal = false
        if current == ".", let after = peek(), Self.isDigit(after) {
            isDecimal = true
            advance()
            while let c = current, Self.isDigit(c) { advance() }
        }
        if !isDecimal, chars[from] != "-", let unit = current, "smhdwy".contains(unit), !(peek().map(Self.isNamePart) ?? false) {
            advance()
            return QueryToken(kind: .duration(String(chars[from..<index])), text: String(chars[from..<index]), position: start)
        }
        if let c = current, Self.isNamePart(c) || c == "." {
            while let c = current, Self.isNamePart(c) || c == "." { advance() }
            throw fail("invalid number '\(String(chars[from..<index]))'", at: start)
        }
        let text = String(chars[from..<index])
        if isDecimal, let value = Double(text) {
            return QueryToken(kind: .decimal(value), text: text, position: start)
        }
        guard let value = Int64(text) else { throw fail("number '\(text)' is too large", at: start) }
        return QueryToken(kind: .integer(value), text: text, position: start)
    }

    private mutating func string(quote: Character) throws(QueryError) -> QueryToken {
        let start = position
        let from = index
        advance()
        var value = ""
        while true {
            guard let c = current, !c.isNewline else {
                throw fail("unterminated string: no closing \(quote) for the \(quote) opened here", at: start)
            }
            if c == quote {
                advance()
                return QueryToken(kind: .string(value), text: String(chars[from..<index]), position: start)
            }
            if c == "\\" {
                let escape = position
                advance()
                guard let e = current else {
                    throw fail("unterminated string: no closing \(quote) for the \(quote) opened here", at: start)
                }
                switch e {
                case "\"", "'", "\\": value.append(e)
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "u":
                    var hex = ""
                    for offset in 1...4 {
                        guard let h = peek(offset), h.isHexDigit else {
                            throw fail("invalid escape: \\u needs four hex digits", at: escape)
                        }
                        hex.append(h)
                    }
                    guard let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) else {
                        throw fail("invalid escape: \\u\(hex) is not a character", at: escape)
                    }
                    value.unicodeScalars.append(scalar)
                    for _ in 0..<4 { advance() }
                default:
                    throw fail("invalid escape '\\\(e)' (use \\\" \\' \\\\ \\n \\t \\r or \\uXXXX)", at: escape)
                }
                advance()
                continue
            }
            value.append(c)
            advance()
        }
    }
}
