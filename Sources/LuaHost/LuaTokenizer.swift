/// A small Lua 5.4 tokenizer: enough to find names, strings and symbols
/// while skipping comments and long brackets correctly.
struct LuaTokenizer {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    /// Creates a tokenizer over `source`.
    init(_ source: String) { bytes = Array(source.utf8) }

    /// All tokens of the source (comments and whitespace dropped).
    func tokens() -> [LuaToken] {
        var copy = self
        var result: [LuaToken] = []
        copy.skipShebang()
        while let token = copy.next() {
            result.append(token)
            if token.kind == .unfinished { break }
        }
        return result
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private mutating func skipShebang() {
        guard peek() == UInt8(ascii: "#") else { return }
        while let c = peek(), !isNewline(c) { position += 1 }
    }

    private func isNewline(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }

    /// Consumes a newline sequence (`\n`, `\r`, `\r\n` or `\n\r`) and counts it.
    private mutating func newline() {
        let first = bytes[position]
        position += 1
        if let second = peek(), isNewline(second), second != first { position += 1 }
        line += 1
    }

    private mutating func next() -> LuaToken? {
        while let c = peek() {
            if isNewline(c) {
                newline()
            } else if c == 0x20 || c == 0x09 || c == 0x0B || c == 0x0C {
                position += 1
            } else if c == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                position += 2
                if skipLongBracket() == nil { return LuaToken(kind: .unfinished, line: line) }
            } else {
                break
            }
        }
        guard let c = peek() else { return nil }
        let start = line
        if isNameStart(c) {
            let begin = position
            while let d = peek(), isNameStart(d) || isDigit(d) { position += 1 }
            return LuaToken(kind: .name(String(decoding: bytes[begin..<position], as: UTF8.self)), line: start)
        }
        if isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
            return LuaToken(kind: .number(readNumber()), line: start)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            guard let text = readShortString(quote: c) else { return LuaToken(kind: .unfinished, line: start) }
            return LuaToken(kind: .string(text), line: start)
        }
        if c == UInt8(ascii: "["), let level = longBracketLevel() {
            guard let text = readLongBracket(level: level) else { return LuaToken(kind: .unfinished, line: start) }
            return LuaToken(kind: .string(text), line: start)
        }
        for symbol in ["...", "..", "==", "~=", "<=", ">=", "//", "::", "<<", ">>"] where matches(symbol) {
            position += symbol.utf8.count
            return LuaToken(kind: .symbol(symbol), line: start)
        }
        position += 1
        return LuaToken(kind: .symbol(String(decoding: [c], as: UTF8.self)), line: start)
    }

    private func isNameStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || c == UInt8(ascii: "_")
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private func hexValue(_ c: UInt8) -> UInt8? {
        if isDigit(c) { return c - UInt8(ascii: "0") }
        if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f") { return c - UInt8(ascii: "a") + 10 }
        if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F") { return c - UInt8(ascii: "A") + 10 }
        return nil
    }

    private func matches(_ symbol: String) -> Bool {
        for (offset, byte) in symbol.utf8.enumerated() where peek(offset) != byte { return false }
        return true
    }

    private mutating func readNumber() -> String {
        let begin = position
        while let c = peek() {
            let exponent = c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "p") || c == UInt8(ascii: "P")
            position += 1
            if exponent, let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                position += 1
            } else if !(isNameStart(c) || isDigit(c) || c == UInt8(ascii: ".")) {
                position -= 1
                break
            }
        }
        return String(decoding: bytes[begin..<position], as: UTF8.self)
    }

    /// At `[`: the level of an opening long bracket (`[[` is 0, `[==[` is 2), else `nil`.
    private func longBracketLevel() -> Int? {
        var offset = 1
        while peek(offset) == UInt8(ascii: "=") { offset += 1 }
        return peek(offset) == UInt8(ascii: "[") ? offset - 1 : nil
    }

    /// After `--`: skips a long comment or the rest of the line; `nil` if a long comment never ends.
    private mutating func skipLongBracket() -> Void? {
        if peek() == UInt8(ascii: "["), let level = longBracketLevel() {
            return readLongBracket(level: level) == nil ? nil : ()
        }
        while let c = peek(), !isNewline(c) { position += 1 }
        return ()
    }

    /// Reads a long bracket of `level` starting at its `[`; `nil` if it never closes.
    private mutating func readLongBracket(level: Int) -> String? {
        position += level + 2
        if let c = peek(), isNewline(c) { newline() }
        var content: [UInt8] = []
        while let c = peek() {
            if c == UInt8(ascii: "]") {
                var offset = 1
                while peek(offset) == UInt8(ascii: "=") { offset += 1 }
                if offset - 1 == level, peek(offset) == UInt8(ascii: "]") {
                    position += offset + 1
                    return String(decoding: content, as: UTF8.self)
                }
                content.append(c)
                position += 1
            } else if isNewline(c) {
                newline()
                content.append(0x0A)
            } else {
                content.append(c)
                position += 1
            }
        }
        return nil
    }

    /// Reads a quoted string starting at its quote, applying escapes; `nil` if unfinished.
    private mutating func readShortString(quote: UInt8) -> String? {
        position += 1
        var content: [UInt8] = []
        while let c = peek() {
            if c == quote {
                position += 1
                return String(decoding: content, as: UTF8.self)
            }
            if isNewline(c) { return nil }
            position += 1
            guard c == UInt8(ascii: "\\") else {
                content.append(c)
                continue
            }
            guard let escaped = readEscape() else { return nil }
            content.append(contentsOf: escaped)
        }
        return nil
    }

    /// After a backslash: the bytes the escape stands for, or `nil` if malformed.
    private mutating func readEscape() -> [UInt8]? {
        guard let c = peek() else { return nil }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
            UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
            UInt8(ascii: "\""): 34, UInt8(ascii: "'"): 39,
        ]
        if let byte = simple[c] {
            position += 1
            return [byte]
        }
        if isNewline(c) {
            newline()
            return [0x0A]
        }
        if c == UInt8(ascii: "z") {
            position += 1
            while let d = peek(), d == 0x20 || (d >= 0x09 && d <= 0x0D) {
                if isNewline(d) { newline() } else { position += 1 }
            }
            return []
        }
        if c == UInt8(ascii: "x") {
            guard let h = peek(1).flatMap(hexValue), let l = peek(2).flatMap(hexValue) else { return nil }
            position += 3
            return [h << 4 | l]
        }
        if isDigit(c) {
            var value = 0
            var count = 0
            while count < 3, let d = peek(), isDigit(d) {
                value = value * 10 + Int(d - UInt8(ascii: "0"))
                position += 1
                count += 1
            }
            return value <= 255 ? [UInt8(value)] : nil
        }
        if c == UInt8(ascii: "u"), peek(1) == UInt8(ascii: "{") {
            position += 2
            var value: UInt32 = 0
            while let digit = peek().flatMap(hexValue), value < 0x8000_0000 {
                value = value * 16 + UInt32(digit)
                position += 1
            }
            guard peek() == UInt8(ascii: "}"), let scalar = Unicode.Scalar(value) else { return nil }
            position += 1
            return Array(String(Character(scalar)).utf8)
        }
        return nil
    }
}
