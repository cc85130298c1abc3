import Foundation

extension CalendarPattern {
    /// How many local days a search walks before giving up (about five years).
    static let searchDays = 5 * 366

    /// The first slot strictly after `time` (seconds since the epoch), or `nil`
    /// if none falls within about five years.
    ///
    /// Walks local days, then the allowed hours, then the allowed minutes; days
    /// and hours that cannot contain a later slot are skipped without resolving.
    func next(after time: TimeInterval, in zone: TimeZone) -> Int? {
        let instant = Self.wholeSeconds(time)
        // Start a day early: a fall-back overlap can repeat yesterday's wall times.
        let first = CivilDay(containingWall: ZoneDay.wall(of: instant, in: zone)).number - 1
        let hourValues = hours.values, minuteValues = minutes.values
        for number in first...(first + Self.searchDays) {
            let day = CivilDay(number: number)
            guard matches(day) else { continue }
            let zoneDay = ZoneDay(day, in: zone)
            guard TimeInterval(day.wallStart + CivilDay.seconds - zoneDay.minimumOffset) > time else { continue }
            var best: Int?
            search: for hour in hourValues {
                let hourStart = day.wallStart + hour * 3600
                guard TimeInterval(hourStart + 3600 - zoneDay.minimumOffset) > time else { continue }
                for minute in minuteValues {
                    guard let candidate = slot(atWall: hourStart + minute * 60, zoneDay, where: { TimeInterval($0) > time }) else { continue }
                    if best.map({ candidate < $0 }) ?? true { best = candidate }
                    if zoneDay.isConstant { break search }
                }
            }
            if let best { return best }
        }
        return nil
    }

    /// The last slot at or before `time` (seconds since the epoch), or `nil` if
    /// none fell within about five years.
    func previous(atOrBefore time: TimeInterval, in zone: TimeZone) -> Int? {
        let instant = Self.wholeSeconds(time)
        // Start a day late, for the same reason as `next(after:in:)`.
        let first = CivilDay(containingWall: ZoneDay.wall(of: instant, in: zone)).number + 1
        let hourValues = Array(hours.values.reversed()), minuteValues = Array(minutes.values.reversed())
        for number in stride(from: first, through: first - Self.searchDays, by: -1) {
            let day = CivilDay(number: number)
            guard matches(day) else { continue }
            let zoneDay = ZoneDay(day, in: zone)
            guard TimeInterval(day.wallStart - zoneDay.maximumOffset) <= time else { continue }
            var best: Int?
            search: for hour in hourValues {
                let hourStart = day.wallStart + hour * 3600
                guard TimeInterval(hourStart - zoneDay.maximumOffset) <= time else { continue }
                for minute in minuteValues {
                    guard let candidate = slot(atWall: hourStart + minute * 60, zoneDay, where: { TimeInterval($0) <= time }, latest: true) else { continue }
                    if best.map({ candidate > $0 }) ?? true { best = candidate }
                    if zoneDay.isConstant { break search }
                }
            }
            if let best { return best }
        }
        return nil
    }

    /// How many slots fall in `(start, end]`, stopping at `limit`, and the first.
    /// Walks each day once instead of calling ``next(after:in:)`` per slot.
    func slots(after start: TimeInterval, through end: TimeInterval, limit: Int, in zone: TimeZone) -> (count: Int, first: Int?) {
        guard let first = next(after: start, in: zone), TimeInterval(first) <= end else { return (0, nil) }
        let firstDay = CivilDay(containingWall: ZoneDay.wall(of: first, in: zone)).number - 1
        let lastDay = CivilDay(containingWall: ZoneDay.wall(of: Self.wholeSeconds(end), in: zone)).number + 1
        let hourValues = hours.values, minuteValues = minutes.values
        var count = 0
        for number in firstDay...max(firstDay, lastDay) {
            let day = CivilDay(number: number)
            guard matches(day) else { continue }
            let zoneDay = ZoneDay(day, in: zone)
            for hour in hourValues {
                for minute in minuteValues {
                    let (once, again) = zoneDay.instants(forWall: day.wallStart + hour * 3600 + minute * 60)
                    for instant in [once, firesInRepeatedHour ? again : nil].compactMap({ $0 })
                    where TimeInterval(instant) > start && TimeInterval(instant) <= end {
                        count += 1
                        if count == limit { return (count, first) }
                    }
                }
            }
        }
        return (count, first)
    }

    /// `time` rounded down, clamped to ±10^13 seconds (about ±300,000 years) so
    /// absurd dates cannot overflow.
    private static func wholeSeconds(_ time: TimeInterval) -> Int {
        Int(min(max(time, -1e13), 1e13).rounded(.down))
    }

    /// The earliest (or `latest`) instant at which `wall` fires and that
    /// satisfies `accept`. A wall time in a gap never fires; one in an overlap
    /// fires at its first occurrence only, unless ``firesInRepeatedHour``.
    private func slot(atWall wall: Int, _ zoneDay: ZoneDay, where accept: (Int) -> Bool, latest: Bool = false) -> Int? {
        let (first, second) = zoneDay.instants(forWall: wall)
        let repeated = firesInRepeatedHour ? second : nil
        let (preferred, other) = latest ? (repeated, first) : (first, repeated)
        if let preferred, accept(preferred) { return preferred }
        if let other, accept(other) { return other }
        return nil
    }
}
