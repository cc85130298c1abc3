extension TimestampParser {
    /// A forward-only reader over the bytes of an ISO-8601 date-time.
    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        static func digit(_ byte: UInt8) -> Int64? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte - UInt8(ascii: "0")) : nil
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                guard let digit = Cursor.digit(bytes[index]) else { return nil }
                value = value * 10 + digit
                index += 1
            }
            return value
        }

        /// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]][Z|±HH[:MM]|±HHMM]]` as epoch seconds.
        mutating func dateTime() -> Int64? {
            guard let year = digits(4), take(UInt8(ascii: "-")), let month = digits(2),
                take(UInt8(ascii: "-")), let day = digits(2),
                (1...12).contains(month), day >= 1, day <= TimestampParser.daysIn(month: month, year: year)
            else { return nil }
            let days = TimestampParser.daysFromCivil(year: year, month: month, day: day)
            if atEnd { return days * 86_400 }
            guard take(UInt8(ascii: "T")) || take(UInt8(ascii: "t")) || take(UInt8(ascii: " ")),
                let hour = digits(2), hour < 24, take(UInt8(ascii: ":")), let minute = digits(2), minute < 60
            else { return nil }
            var second: Int64 = 0
            if take(UInt8(ascii: ":")) {
                guard let parsed = digits(2), parsed < 60 else { return nil }
                second = parsed
                if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
                    let start = index
                    while index < bytes.count, Cursor.digit(bytes[index]) != nil { index += 1 }
                    guard index > start else { return nil }
                }
            }
            guard let offset = zoneOffset() else { return nil }
            return days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        }

        /// The zone suffix in seconds east of UTC; 0 when absent or `Z`.
        private mutating func zoneOffset() -> Int64? {
            if atEnd || take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return atEnd ? 0 : nil }
            let sign: Int64
            if take(UInt8(ascii: "+")) {
                sign = 1
            } else if take(UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let hours = digits(2), hours <= 18 else { return nil }
            var minutes: Int64 = 0
            if !atEnd {
                _ = take(UInt8(ascii: ":"))
                guard let parsed = digits(2), parsed < 60 else { return nil }
                minutes = parsed
            }
            return atEnd ? sign * (hours * 3_600 + minutes * 60) : nil
        }
    }
}
