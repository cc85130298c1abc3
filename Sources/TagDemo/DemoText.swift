/// Allocation-light text formatting for ``DemoGenerator``: fixed-width
/// decimal, base-36 and base-64 encodings and civil dates, written straight
/// into a new `String`'s UTF-8 storage. Locale-independent by construction.
enum DemoText {
    private static let base36: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
    private static let sortedBase64: [UInt8] = Array("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)

    /// `prefix` followed by `value` in decimal, zero-padded to `width` digits
    /// (more digits when the value needs them), e.g. `M0000042`.
    static func padded(_ prefix: StaticString, _ value: UInt64, width: Int) -> String {
        var digits = 1
        var probe = value / 10
        while probe > 0 { digits += 1; probe /= 10 }
        let count = max(width, digits)
        let prefixCount = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: prefixCount + count) { buffer in
            let bytes = prefix.utf8Start
            for i in 0..<prefixCount { buffer[i] = bytes[i] }
            var v = value
            var i = prefixCount + count - 1
            while i >= prefixCount {
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                i -= 1
            }
            return prefixCount + count
        }
    }

    /// `prefix` followed by `value` modulo `36^chars` in lowercase base 36,
    /// zero-padded to exactly `chars` characters (texts sort like numbers).
    static func base36(_ prefix: StaticString, _ value: UInt64, chars: Int) -> String {
        let prefixCount = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: prefixCount + chars) { buffer in
            let bytes = prefix.utf8Start
            for i in 0..<prefixCount { buffer[i] = bytes[i] }
            var v = value
            for i in stride(from: prefixCount + chars - 1, through: prefixCount, by: -1) {
                buffer[i] = base36[Int(v % 36)]
                v /= 36
            }
            return prefixCount + chars
        }
    }

    /// `prefix` followed by `first` in `firstChars` and `second` in
    /// `secondChars` base-64 digits, most significant first, with the
    /// base64url characters in ASCII order (`-0-9A-Z_a-z`): fixed-width
    /// texts sort like the numbers they encode.
    static func base64(_ prefix: String, _ first: UInt64, chars firstChars: Int, _ second: UInt64, chars secondChars: Int) -> String {
        var prefix = prefix
        return prefix.withUTF8 { head in
            String(unsafeUninitializedCapacity: head.count + firstChars + secondChars) { buffer in
                for i in 0..<head.count { buffer[i] = head[i] }
                var v = first
                for i in stride(from: head.count + firstChars - 1, through: head.count, by: -1) {
                    buffer[i] = sortedBase64[Int(v & 63)]
                    v >>= 6
                }
                v = second
                for i in stride(from: head.count + firstChars + secondChars - 1, through: head.count + firstChars, by: -1) {
                    buffer[i] = sortedBase64[Int(v & 63)]
                    v >>= 6
                }
                return head.count + firstChars + secondChars
            }
        }
    }

    /// The civil date (`YYYY-MM-DD`, proleptic Gregorian) of a day number
    /// counted from 1970-01-01.
    static func date(daysSinceEpoch days: Int64) -> String {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(unsafeUninitializedCapacity: 10) { buffer in
            var y = Int(year)
            for i in stride(from: 3, through: 0, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(y % 10)
                y /= 10
            }
            buffer[4] = UInt8(ascii: "-")
            buffer[5] = UInt8(ascii: "0") + UInt8(month / 10)
            buffer[6] = UInt8(ascii: "0") + UInt8(month % 10)
            buffer[7] = UInt8(ascii: "-")
            buffer[8] = UInt8(ascii: "0") + UInt8(day / 10)
            buffer[9] = UInt8(ascii: "0") + UInt8(day % 10)
            return 10
        }
    }
}
