import Foundation

/// A tag rule's `refresh` cycle: when the tag is due to be evaluated again.
///
/// Parsed from the declared text (case-insensitive, extra spaces tolerated):
/// - `realtime`: evaluated on every event; no schedule.
/// - `every 15m`, `every 2h`, `every 1d`: minute and hour intervals are slots at
///   multiples of the interval since the Unix epoch; day intervals start at local
///   midnight of every n-th day since 1970-01-01.
/// - `hourly`, `daily`, `daily at 02:00`, `weekly`, `weekly on monday at 08:00`.
/// - five-field cron `minute hour day-of-month month day-of-week`.
///
/// Any form may end with `in <IANA time zone>` (default UTC). Calendar slots
/// follow the zone's wall clock: a time inside a spring-forward gap is skipped
/// that day; a time shown twice at fall-back fires once, at its first occurrence
/// (except in schedules allowing every hour, which fire at both).
public struct RefreshSchedule: Sendable, Hashable, CustomStringConvertible {
    /// How slots are defined.
    enum Rule: Sendable, Hashable {
        /// No slots: evaluated on every event.
        case realtime
        /// Multiples of a number of seconds since the epoch.
        case interval(seconds: Int)
        /// Local wall-clock slots.
        case calendar(CalendarPattern)
    }

    /// How slots are defined.
    let rule: Rule
    /// The canonical declaration without its time zone (`daily at 02:00`).
    let text: String
    /// The zone calendar slots are computed in (UTC unless declared).
    public var timeZone: TimeZone

    /// UTC, the default zone.
    static let utc = TimeZone(identifier: "UTC") ?? .gmt

    /// Creates a schedule from its parts.
    init(rule: Rule, text: String, timeZone: TimeZone) {
        self.rule = rule
        self.text = text
        self.timeZone = timeZone
    }

    /// Parses a `refresh` declaration, throwing an error that says what is wrong
    /// and lists the accepted forms.
    public init(parsing text: String) throws(RefreshError) {
        self = try RefreshParser(input: text).parse()
    }

    /// True for `realtime`: evaluated on every event, never scheduled.
    public var isRealtime: Bool { rule == .realtime }

    /// The declaration in canonical form, e.g. `daily at 02:00 in Asia/Shanghai`.
    public var description: String {
        timeZone.identifier == Self.utc.identifier ? text : "\(text) in \(timeZone.identifier)"
    }

    /// The first slot strictly after `date`; `nil` for realtime schedules or
    /// when none falls within about five years.
    public func next(after date: Date) -> Date? {
        let time = date.timeIntervalSince1970
        switch rule {
        case .realtime:
            return nil
        case .interval(let seconds):
            let step = TimeInterval(seconds)
            return Date(timeIntervalSince1970: ((time / step).rounded(.down) + 1) * step)
        case .calendar(let pattern):
            return pattern.next(after: time, in: timeZone).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
    }

    /// The latest slot at or before `date`; `nil` for realtime schedules or when
    /// none fell within about five years.
    public func previous(atOrBefore date: Date) -> Date? {
        let time = date.timeIntervalSince1970
        switch rule {
        case .realtime:
            return nil
        case .interval(let seconds):
            let step = TimeInterval(seconds)
            return Date(timeIntervalSince1970: (time / step).rounded(.down) * step)
        case .calendar(let pattern):
            return pattern.previous(atOrBefore: time, in: timeZone).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
    }
}
