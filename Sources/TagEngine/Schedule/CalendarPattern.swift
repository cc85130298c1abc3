/// Slots defined on local wall-clock time: cron expressions and `every <n>d`.
struct CalendarPattern: Sendable, Hashable {
    /// Which local days have slots.
    enum Days: Sendable, Hashable {
        /// Cron day selection; see ``CalendarPattern/matches(_:)``.
        case cron(daysOfMonth: CronField, months: CronField, daysOfWeek: CronField)
        /// Every `n`th day, counted in local days since 1970-01-01.
        case every(Int)
    }

    /// Allowed minutes.
    let minutes: CronField
    /// Allowed hours.
    let hours: CronField
    /// Allowed days.
    let days: Days

    /// Whether a wall time the clock shows twice (fall-back) fires at both
    /// occurrences. Only when every hour is allowed (`0 * * * *`, `*/5 * * * *`):
    /// such schedules follow elapsed time; fixed-hour ones fire once, at the first.
    var firesInRepeatedHour: Bool {
        hours.bits == CronField.all(.hour).bits
    }

    /// Whether `day` has slots. For cron days, classic (Vixie) semantics: when
    /// day-of-month or day-of-week is written starting with `*`, both must match;
    /// when both are restricted, either may.
    func matches(_ day: CivilDay) -> Bool {
        switch days {
        case .every(let n):
            return CivilDay.floorModulo(day.number, n) == 0
        case .cron(let daysOfMonth, let months, let daysOfWeek):
            guard months.contains(day.month) else { return false }
            let dom = daysOfMonth.contains(day.day)
            let dow = daysOfWeek.contains(day.weekday)
            return daysOfMonth.isWildcard || daysOfWeek.isWildcard ? dom && dow : dom || dow
        }
    }
}
