/// Parses the timestamp formats accepted on input into epoch seconds (UTC).
///
/// Accepted: epoch seconds (`852076800`, `852076800.25`; fractions are
/// truncated toward the past), ISO-8601 dates (`1997-01-01`, midnight UTC)
/// and date-times (`1997-01-01T10:00:00Z`, `1997-01-01T10:00:00.123+08:00`,
/// `+0800`, `+08`; `T` may be a space; without a zone the time is UTC;
/// seconds are optional).
public enum TimestampParser {
    /// Largest magnitude ``parse(_:)`` accepts: 9999-12-31T23:59:59Z.
    static let maxEpoch: Int64 = 253_402_300_799

    /// Timestamps accepted in imported and ingested records:
    /// 1900-01-01T00:00:00Z ... 2199-12-31T23:59:59Z (epoch seconds
    /// -2,208,988,800 ... 7,258,118,399). Anything outside is refused as a
    /// typo or a unit mix-up (epoch milliseconds) rather than stored.
    public static let inputRange: ClosedRange<Int64> = -2_208_988_800...7_258_118_399

    /// Why a timestamp is refused for being outside ``inputRange``.
    static func outOfRangeReason(epoch: Bool) -> String {
        "is outside the accepted range 1900-01-01 .. 2199-12-31"
            + (epoch ? " (epoch seconds expected; milliseconds?)" : "")
    }

    /// Why a text is not a timestamp.
    public enum Failure: Error, Sendable, Equatable {
        /// Not in any accepted format.
        case invalidFormat
        /// A number too large to be epoch seconds (likely milliseconds).
        case outOfRange
    }

    /// Parses `text` into epoch seconds.
    public static func parse(_ text: String) -> Result<Int64, Failure> {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Result<Int64, Failure> {
        var cursor = Cursor(bytes: bytes)
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            guard let value = cursor.dateTime(), cursor.atEnd else { return .failure(.invalidFormat) }
            return .success(value)
        }
        return epoch(bytes)
    }

    /// Validates `YYYY-MM-DD` or `MM-DD` (birthday with unknown year).
    public static func isValidBirthday(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var cursor = Cursor(bytes: bytes)
            var year: Int64 = 2000
            if bytes.count == 10 {
                guard let parsed = cursor.digits(4), cursor.take(UInt8(ascii: "-")) else { return false }
                year = parsed
            } else if bytes.count != 5 {
                return false
            }
            guard let month = cursor.digits(2), cursor.take(UInt8(ascii: "-")), let day = cursor.digits(2),
                cursor.atEnd
            else { return false }
            return (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
        }
    }

    private static func epoch(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Int64, Failure> {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count, let digit = Cursor.digit(bytes[index]) {
            if value > maxEpoch { return .failure(.outOfRange) }
            value = value * 10 + digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { return .failure(.invalidFormat) }
        var fraction = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, let digit = Cursor.digit(bytes[index]) {
                fraction = fraction || digit != 0
                index += 1
            }
        }
        guard index == bytes.count else { return .failure(.invalidFormat) }
        guard value <= maxEpoch else { return .failure(.outOfRange) }
        return .success(negative ? -value - (fraction ? 1 : 0) : value)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
