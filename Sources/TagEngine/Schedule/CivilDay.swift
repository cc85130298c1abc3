/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01),
/// after Howard Hinnant's `days_from_civil` / `civil_from_days`.
struct CivilDay: Sendable, Hashable {
    /// Days since 1970-01-01 (negative before).
    let number: Int
    /// The year.
    let year: Int
    /// The month, 1...12.
    let month: Int
    /// The day of the month, 1...31.
    let day: Int

    /// Seconds in a day.
    static let seconds = 86_400

    /// The day with the given day number.
    init(number: Int) {
        self.number = number
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The day containing `wallSeconds` (local wall-clock seconds counted as if the zone were UTC).
    init(containingWall wallSeconds: Int) {
        self.init(number: Self.floorDivide(wallSeconds, Self.seconds))
    }

    /// The day number of a calendar date.
    static func number(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Day of the week, 0 = Sunday ... 6 = Saturday.
    var weekday: Int { Self.floorModulo(number + 4, 7) }

    /// Local wall-clock seconds of this day's midnight.
    var wallStart: Int { number * Self.seconds }

    /// The number of days in `month` of `year`.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `a / b` rounded towards negative infinity.
    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `a mod b` in `0..<b` for positive `b`.
    static func floorModulo(_ a: Int, _ b: Int) -> Int {
        let r = a % b
        return r < 0 ? r + b : r
    }
}
