/// The five fields of a cron expression, with their ranges and names.
enum CronFieldKind: Sendable, CaseIterable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The values the field may be written with (day-of-week allows 7 for Sunday).
    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The field's name in messages.
    var label: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The value of a name (`jan`, `january`, `mon`, `monday`), if this field has names.
    func value(named name: String) -> Int? {
        switch self {
        case .month: Self.monthNames.firstIndex { $0 == name || $0.prefix(3) == name }.map { $0 + 1 }
        case .dayOfWeek: Self.dayNames.firstIndex { $0 == name || $0.prefix(3) == name }
        default: nil
        }
    }

    /// English month names, January first.
    static let monthNames = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    /// English day names, Sunday first (Sunday = 0).
    static let dayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
}
