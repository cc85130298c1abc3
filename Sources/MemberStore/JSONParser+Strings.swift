extension JSONParser {
    /// Parses a string literal starting at its opening quote.
    ///
    /// The text must be valid UTF-8 and `\u` escapes must not leave a lone
    /// surrogate: nothing is replaced with U+FFFD.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try validated(UnsafeBufferPointer(rebasing: bytes[start..<index]), rawStart: start)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("control character in string") }
            index += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try out.withUnsafeBufferPointer { decoded throws(JSONParseError) in
                    try validated(decoded, rawStart: start)
                }
                index += 1
                return text
            }
            if byte < 0x20 { throw fail("control character in string") }
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"): out.append(contentsOf: try parseUnicodeEscape())
            default: index -= 1; throw fail("invalid escape sequence")
            }
        }
        throw fail("unterminated string")
    }

    /// The decoded bytes of a string literal whose raw text starts at
    /// `rawStart` and ends at `index`, as a `String`; invalid UTF-8 (which can
    /// only come from the raw bytes, escapes being ASCII) fails at its column.
    private func validated(_ decoded: UnsafeBufferPointer<UInt8>, rawStart: Int) throws(JSONParseError) -> String {
        if let text = UTF8Text.decode(decoded) { return text }
        let raw = UnsafeBufferPointer(rebasing: bytes[rawStart..<index])
        let (offset, byte) = UTF8Text.firstInvalidByte(in: raw) ?? (0, raw.first ?? 0)
        throw JSONParseError(
            column: rawStart + offset + 1, reason: "invalid UTF-8 in a string (byte \(UTF8Text.hex(byte)))")
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func parseUnicodeEscape() throws(JSONParseError) -> [UInt8] {
        let escapeStart = index - 2
        var code = try parseHex4()
        if (0xD800..<0xDC00).contains(code), index + 2 <= bytes.count,
            bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        {
            index += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else {
                throw JSONParseError(column: escapeStart + 1, reason: "invalid surrogate pair")
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else {
            let hex = String(code, radix: 16)
            throw JSONParseError(column: escapeStart + 1, reason: "lone surrogate \\u\(hex) in a string")
        }
        return Array(String(Character(scalar)).utf8)
    }
}
