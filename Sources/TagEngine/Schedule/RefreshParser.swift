import Foundation

/// Parses the text of a `refresh` declaration into a ``RefreshSchedule``.
struct RefreshParser {
    /// The declaration as written.
    let input: String

    /// The schedule, or an error naming the problem.
    func parse() throws(RefreshError) -> RefreshSchedule {
        do throws(ScheduleProblem) {
            var tokens = input.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !tokens.isEmpty else { throw ScheduleProblem("it is empty") }
            var zone = RefreshSchedule.utc
            if tokens.count >= 2, tokens[tokens.count - 2].lowercased() == "in" {
                zone = try Self.timeZone(named: tokens[tokens.count - 1])
                tokens.removeLast(2)
            } else if tokens.last?.lowercased() == "in" {
                throw ScheduleProblem("a time zone must follow \"in\", e.g. \"in Europe/Berlin\"")
            }
            guard !tokens.isEmpty else { throw ScheduleProblem("nothing comes before \"in <time zone>\"") }
            let (rule, text) = try Self.rule(tokens.map { $0.lowercased() })
            return RefreshSchedule(rule: rule, text: text, timeZone: zone)
        } catch {
            throw RefreshError(input: input, problem: error.message)
        }
    }

    /// The rule and canonical text of lower-cased words (time zone removed).
    private static func rule(_ words: [String]) throws(ScheduleProblem) -> (RefreshSchedule.Rule, String) {
        let rest = Array(words.dropFirst())
        switch words[0] {
        case "realtime" where rest.isEmpty:
            return (.realtime, "realtime")
        case "every":
            return try interval(rest)
        case "hourly" where rest.isEmpty:
            return (try cron(["0", "*", "*", "*", "*"]), "hourly")
        case "daily":
            let (hour, minute) = try at(rest, after: "daily")
            return (try cron(["\(minute)", "\(hour)", "*", "*", "*"]), rest.isEmpty ? "daily" : "daily at \(clock(hour, minute))")
        case "weekly":
            return try weekly(rest)
        case let first where first.first.map({ $0.isNumber || $0 == "*" }) == true:
            if words.count == 1, first.contains(where: \.isLetter) {
                throw ScheduleProblem("\"\(first)\" is not a known form; did you mean \"every \(first)\"?")
            }
            guard words.count == 5 else {
                throw ScheduleProblem("a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got \(words.count)")
            }
            return (try cron(words), words.joined(separator: " "))
        default:
            throw ScheduleProblem("\"\(words.joined(separator: " "))\" is not a known form")
        }
    }

    /// `every <n><unit>`, the unit m, h or d (or spelled out), with or without a space.
    private static func interval(_ words: [String]) throws(ScheduleProblem) -> (RefreshSchedule.Rule, String) {
        let spec = words.joined()
        let digits = spec.prefix { $0.isASCII && $0.isNumber }
        let unit = spec.dropFirst(digits.count)
        guard !digits.isEmpty else {
            throw ScheduleProblem("\"every\" needs a number and a unit, as in \"every 15m\"")
        }
        let seconds: Int, symbol: String
        switch unit {
        case "m", "min", "mins", "minute", "minutes": (seconds, symbol) = (60, "m")
        case "h", "hr", "hrs", "hour", "hours": (seconds, symbol) = (3600, "h")
        case "d", "day", "days": (seconds, symbol) = (CivilDay.seconds, "d")
        case "s", "sec", "secs", "second", "seconds":
            throw ScheduleProblem("intervals are whole minutes or longer, so \"every \(digits)\(unit)\" is not supported (use at least every 1m)")
        case "":
            throw ScheduleProblem("\"every \(digits)\" needs a unit: m (minutes), h (hours) or d (days)")
        default:
            throw ScheduleProblem("unknown unit \"\(unit)\" in \"every \(spec)\": use m (minutes), h (hours) or d (days)")
        }
        let limit = 366 * CivilDay.seconds
        guard let count = Int(digits), count <= limit / seconds else {
            throw ScheduleProblem("the interval \"every \(spec)\" is longer than the maximum of 366 days")
        }
        guard count > 0 else { throw ScheduleProblem("the interval must be at least 1 minute, got \"every \(spec)\"") }
        let text = "every \(count)\(symbol)"
        if symbol == "d" {
            return (.calendar(CalendarPattern(minutes: CronField([0]), hours: CronField([0]), days: .every(count))), text)
        }
        return (.interval(seconds: count * seconds), text)
    }

    /// `weekly`, `weekly on <day>`, `weekly at HH:MM`, `weekly on <day> at HH:MM` (default Sunday 00:00).
    private static func weekly(_ words: [String]) throws(ScheduleProblem) -> (RefreshSchedule.Rule, String) {
        var rest = words[...]
        var weekday = 0
        if rest.first == "on" {
            guard rest.count >= 2 else { throw ScheduleProblem("\"weekly on\" needs a day, as in \"weekly on monday\"") }
            let name = rest[rest.startIndex + 1]
            guard let day = CronFieldKind.dayOfWeek.value(named: name) else {
                throw ScheduleProblem("unknown day \"\(name)\": use monday, tuesday, ... sunday")
            }
            weekday = day
            rest = rest.dropFirst(2)
        }
        let (hour, minute) = try at(Array(rest), after: "weekly")
        let text = "weekly on \(CronFieldKind.dayNames[weekday]) at \(clock(hour, minute))"
        return (try cron(["\(minute)", "\(hour)", "*", "*", "\(weekday)"]), text)
    }

    /// An optional `at HH:MM` (24-hour); midnight when absent.
    private static func at(_ words: [String], after form: String) throws(ScheduleProblem) -> (hour: Int, minute: Int) {
        if words.isEmpty { return (0, 0) }
        guard words.count == 2, words[0] == "at" else {
            throw ScheduleProblem("expected \"\(form) at HH:MM\" after \"\(form)\", got \"\(words.joined(separator: " "))\"")
        }
        let parts = words[1].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else {
            throw ScheduleProblem("\"\(words[1])\" is not a 24-hour time HH:MM")
        }
        guard hour < 24 else { throw ScheduleProblem("hour \(hour) in \"\(words[1])\" is out of range 0-23") }
        guard minute < 60 else { throw ScheduleProblem("minute \(minute) in \"\(words[1])\" is out of range 0-59") }
        return (hour, minute)
    }

    /// A five-field cron rule; rejects day selections that can never match.
    private static func cron(_ fields: [String]) throws(ScheduleProblem) -> RefreshSchedule.Rule {
        let minutes = try CronField(parsing: fields[0], as: .minute)
        let hours = try CronField(parsing: fields[1], as: .hour)
        let daysOfMonth = try CronField(parsing: fields[2], as: .dayOfMonth)
        let months = try CronField(parsing: fields[3], as: .month)
        let daysOfWeek = try CronField(parsing: fields[4], as: .dayOfWeek)
        // Days are ANDed when either field starts with `*`; then the day of month
        // must exist in some selected month (February counted with 29 days).
        if daysOfMonth.isWildcard || daysOfWeek.isWildcard {
            let possible = months.values.contains { month in
                daysOfMonth.values.contains { $0 <= CivilDay.daysIn(month: month, year: 2000) }
            }
            guard possible else {
                let names = months.values.map { CronFieldKind.monthNames[$0 - 1] }.joined(separator: ", ")
                throw ScheduleProblem("it never fires: day-of-month \(daysOfMonth.summary) does not occur in \(names)")
            }
        }
        return .calendar(CalendarPattern(
            minutes: minutes, hours: hours,
            days: .cron(daysOfMonth: daysOfMonth, months: months, daysOfWeek: daysOfWeek)))
    }

    /// `HH:MM`, zero-padded.
    private static func clock(_ hour: Int, _ minute: Int) -> String {
        String(format: "%02d:%02d", hour, minute)
    }

    /// The IANA zone called `name` (exact spelling first, then case-insensitive).
    private static func timeZone(named name: String) throws(ScheduleProblem) -> TimeZone {
        if ["UTC", "GMT"].contains(name.uppercased()) { return RefreshSchedule.utc }
        if let zone = TimeZone(identifier: name) { return zone }
        if let known = TimeZone.knownTimeZoneIdentifiers.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }),
            let zone = TimeZone(identifier: known) {
            return zone
        }
        throw ScheduleProblem("unknown time zone \"\(name)\": use an IANA name such as UTC, Europe/Berlin or America/New_York")
    }
}
