import Foundation
import Testing

@testable import TagEngine

/// An instant written as `2026-05-01T10:00:00Z`.
private func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: text)!
}

/// A schedule that must parse.
private func schedule(_ text: String) -> RefreshSchedule {
    try! RefreshSchedule(parsing: text)
}

/// The first `count` slots after `start`.
private func slots(_ schedule: RefreshSchedule, after start: Date, count: Int) -> [Date] {
    var result: [Date] = []
    var cursor = start
    while result.count < count, let slot = schedule.next(after: cursor) {
        result.append(slot)
        cursor = slot
    }
    return result
}

@Suite("Refresh schedules")
struct RefreshScheduleTests {
    // MARK: Parsing

    @Test("each form parses to its canonical text", arguments: [
        ("realtime", "realtime"),
        ("  Every   15M ", "every 15m"),
        ("every 2 hours", "every 2h"),
        ("every 1d", "every 1d"),
        ("hourly", "hourly"),
        ("DAILY", "daily"),
        ("daily at 2:05", "daily at 02:05"),
        ("weekly", "weekly on sunday at 00:00"),
        ("weekly on Monday at 08:00", "weekly on monday at 08:00"),
        ("*/15 9-17 * * MON-FRI", "*/15 9-17 * * mon-fri"),
        ("0 0 1,15 jan-jun 0", "0 0 1,15 jan-jun 0"),
        ("daily at 02:00 in Asia/Shanghai", "daily at 02:00 in Asia/Shanghai"),
        ("0 2 * * *   IN   europe/berlin", "0 2 * * * in Europe/Berlin"),
        ("hourly in UTC", "hourly"),
    ])
    func parses(text: String, canonical: String) throws {
        let parsed = try RefreshSchedule(parsing: text)
        #expect(parsed.description == canonical)
        #expect(parsed.isRealtime == (canonical == "realtime"))
        #expect(try RefreshSchedule(parsing: canonical) == parsed)
    }

    @Test func timeZoneDefaultsToUTC() throws {
        // Foundation on Linux names UTC "GMT".
        #expect(try ["UTC", "GMT"].contains(RefreshSchedule(parsing: "daily").timeZone.identifier))
        #expect(try RefreshSchedule(parsing: "daily in utc") == RefreshSchedule(parsing: "daily"))
        #expect(try RefreshSchedule(parsing: "daily at 02:00 in Asia/Shanghai").timeZone.identifier == "Asia/Shanghai")
    }

    @Test("invalid declarations say what is wrong", arguments: [
        ("every 0m", "at least 1 minute"),
        ("every 5x", "unknown unit \"x\""),
        ("every 30s", "whole minutes or longer"),
        ("every m", "needs a number"),
        ("every 5", "needs a unit"),
        ("every 400d", "366 days"),
        ("daily at 25:00", "hour 25"),
        ("daily at 2pm", "not a 24-hour time"),
        ("weekly on funday", "unknown day \"funday\""),
        ("61 * * * *", "minute 61 is out of range 0-59"),
        ("0 24 * * *", "hour 24 is out of range 0-23"),
        ("0 0 * 13 *", "month 13 is out of range 1-12"),
        ("0 0 * * 8", "day-of-week 8 is out of range 0-7"),
        ("0 0 * foo *", "\"foo\" is not a valid month"),
        ("5-1 * * * *", "runs backwards"),
        ("*/0 * * * *", "must be a positive number"),
        ("1,,2 * * * *", "empty list element"),
        ("* * *", "needs 5 fields"),
        ("* * * * * *", "needs 5 fields"),
        ("0 0 30 2 *", "never fires"),
        ("0 0 31 4,6 *", "never fires"),
        ("0 0 * * * in Mars/Olympus", "unknown time zone \"Mars/Olympus\""),
        ("daily in", "time zone must follow \"in\""),
        ("in UTC", "nothing comes before"),
        ("", "empty"),
        ("   ", "empty"),
        ("sometimes", "not a known form"),
        ("15m", "did you mean \"every 15m\""),
    ])
    func invalid(text: String, problem: String) {
        let error = #expect(throws: RefreshError.self) { try RefreshSchedule(parsing: text) }
        #expect(error?.input == text)
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
        #expect(error?.description.contains("accepted forms: realtime, every <n>m|h|d") == true)
    }

    // MARK: Slots

    @Test func realtimeHasNoSlots() {
        let realtime = schedule("realtime")
        #expect(realtime.isRealtime)
        #expect(realtime.next(after: utc("2026-05-01T10:00:00Z")) == nil)
        #expect(realtime.previous(atOrBefore: utc("2026-05-01T10:00:00Z")) == nil)
    }

    @Test func minuteIntervalsAlignToTheEpoch() {
        let every15 = schedule("every 15m")
        #expect(every15.next(after: utc("2026-05-01T10:07:30Z")) == utc("2026-05-01T10:15:00Z"))
        #expect(every15.next(after: utc("2026-05-01T10:15:00Z")) == utc("2026-05-01T10:30:00Z"))
        #expect(every15.previous(atOrBefore: utc("2026-05-01T10:15:00Z")) == utc("2026-05-01T10:15:00Z"))
        #expect(every15.previous(atOrBefore: utc("2026-05-01T10:14:59Z")) == utc("2026-05-01T10:00:00Z"))
        // 2026-05-01T00:00Z is a multiple of 90 minutes since the epoch.
        #expect(slots(schedule("every 90m"), after: utc("2026-05-01T00:00:00Z"), count: 2)
            == [utc("2026-05-01T01:30:00Z"), utc("2026-05-01T03:00:00Z")])
        #expect(schedule("every 2h").next(after: utc("2026-05-01T11:00:00Z")) == utc("2026-05-01T12:00:00Z"))
    }

    @Test func dayIntervalsStartAtLocalMidnight() {
        // 2026-05-01 is day 20574 since 1970-01-01, a multiple of 3.
        let every3 = schedule("every 3d")
        #expect(every3.next(after: utc("2026-04-30T12:00:00Z")) == utc("2026-05-01T00:00:00Z"))
        #expect(every3.next(after: utc("2026-05-01T00:00:00Z")) == utc("2026-05-04T00:00:00Z"))
        #expect(every3.previous(atOrBefore: utc("2026-05-03T23:59:00Z")) == utc("2026-05-01T00:00:00Z"))
        let newYork = schedule("every 1d in America/New_York")
        #expect(newYork.next(after: utc("2026-05-01T12:00:00Z")) == utc("2026-05-02T04:00:00Z"))
        // Across the spring-forward change: midnight EST, then midnight EDT.
        #expect(slots(newYork, after: utc("2026-03-07T12:00:00Z"), count: 2)
            == [utc("2026-03-08T05:00:00Z"), utc("2026-03-09T04:00:00Z")])
    }

    @Test func namedForms() {
        #expect(schedule("hourly").next(after: utc("2026-05-01T10:00:00Z")) == utc("2026-05-01T11:00:00Z"))
        #expect(schedule("hourly").previous(atOrBefore: utc("2026-05-01T10:59:59Z")) == utc("2026-05-01T10:00:00Z"))
        #expect(schedule("daily").next(after: utc("2026-05-01T00:00:00Z")) == utc("2026-05-02T00:00:00Z"))
        let shanghai = schedule("daily at 02:00 in Asia/Shanghai")
        #expect(shanghai.next(after: utc("2026-05-01T00:00:00Z")) == utc("2026-05-01T18:00:00Z"))
        #expect(shanghai.previous(atOrBefore: utc("2026-05-01T18:00:00Z")) == utc("2026-05-01T18:00:00Z"))
        #expect(shanghai.previous(atOrBefore: utc("2026-05-01T17:59:00Z")) == utc("2026-04-30T18:00:00Z"))
        // 2026-05-01 is a Friday.
        let monday = schedule("weekly on monday at 08:00")
        #expect(monday.next(after: utc("2026-05-01T12:00:00Z")) == utc("2026-05-04T08:00:00Z"))
        #expect(monday.previous(atOrBefore: utc("2026-05-01T12:00:00Z")) == utc("2026-04-27T08:00:00Z"))
    }

    @Test func cronListsRangesAndSteps() {
        let office = schedule("*/15 9-17 * * mon-fri")
        #expect(office.next(after: utc("2026-05-01T17:45:00Z")) == utc("2026-05-04T09:00:00Z"))
        #expect(office.previous(atOrBefore: utc("2026-05-04T08:59:00Z")) == utc("2026-05-01T17:45:00Z"))
        #expect(slots(schedule("10-50/10 * * * *"), after: utc("2026-05-01T10:45:00Z"), count: 3)
            == [utc("2026-05-01T10:50:00Z"), utc("2026-05-01T11:10:00Z"), utc("2026-05-01T11:20:00Z")])
        #expect(slots(schedule("0 6,18 1,15 * *"), after: utc("2026-05-01T12:00:00Z"), count: 3)
            == [utc("2026-05-01T18:00:00Z"), utc("2026-05-15T06:00:00Z"), utc("2026-05-15T18:00:00Z")])
    }

    @Test func monthEnds() {
        let last = schedule("0 0 31 * *")
        #expect(last.next(after: utc("2026-01-31T00:00:00Z")) == utc("2026-03-31T00:00:00Z"))
        #expect(last.previous(atOrBefore: utc("2026-03-30T00:00:00Z")) == utc("2026-01-31T00:00:00Z"))
        #expect(slots(last, after: utc("2026-03-31T00:00:00Z"), count: 3)
            == [utc("2026-05-31T00:00:00Z"), utc("2026-07-31T00:00:00Z"), utc("2026-08-31T00:00:00Z")])
    }

    @Test func leapDay() {
        let leap = schedule("0 0 29 2 *")
        #expect(leap.next(after: utc("2026-01-01T00:00:00Z")) == utc("2028-02-29T00:00:00Z"))
        #expect(leap.next(after: utc("2028-02-29T00:00:00Z")) == utc("2032-02-29T00:00:00Z"))
        #expect(leap.previous(atOrBefore: utc("2027-01-01T00:00:00Z")) == utc("2024-02-29T00:00:00Z"))
        // 2100 is not a leap year: from 2097 the next Feb 29 is 2104, beyond five years.
        #expect(leap.next(after: utc("2097-01-01T00:00:00Z")) == nil)
    }

    @Test func dayOfMonthOrDayOfWeek() {
        // Both restricted: the 13th OR any Monday (February 2026 starts on a Sunday).
        #expect(slots(schedule("0 0 13 * mon"), after: utc("2026-02-01T00:00:00Z"), count: 5) == [
            utc("2026-02-02T00:00:00Z"), utc("2026-02-09T00:00:00Z"), utc("2026-02-13T00:00:00Z"),
            utc("2026-02-16T00:00:00Z"), utc("2026-02-23T00:00:00Z"),
        ])
        // Day-of-month written with `*`: both must match (odd days that are Mondays).
        #expect(slots(schedule("0 0 */2 * mon"), after: utc("2026-02-01T00:00:00Z"), count: 3) == [
            utc("2026-02-09T00:00:00Z"), utc("2026-02-23T00:00:00Z"), utc("2026-03-09T00:00:00Z"),
        ])
    }

    @Test func monthAndDayNames() {
        #expect(schedule("0 0 1 jan *").next(after: utc("2026-05-01T00:00:00Z")) == utc("2027-01-01T00:00:00Z"))
        #expect(schedule("0 0 1 January *").next(after: utc("2026-05-01T00:00:00Z")) == utc("2027-01-01T00:00:00Z"))
        // Sunday as 0, 7 and sun; 2026-05-03 is a Sunday.
        for text in ["0 0 * * 0", "0 0 * * 7", "0 0 * * sun", "0 0 * * Sunday"] {
            #expect(schedule(text).next(after: utc("2026-05-01T00:00:00Z")) == utc("2026-05-03T00:00:00Z"), "\(text)")
        }
        // A range ending on Sunday by name: Saturday and Sunday.
        #expect(slots(schedule("0 0 * * sat-sun"), after: utc("2026-05-01T00:00:00Z"), count: 2)
            == [utc("2026-05-02T00:00:00Z"), utc("2026-05-03T00:00:00Z")])
    }

    // MARK: Daylight saving time

    @Test func berlinSpringForwardSkipsTheMissingTime() {
        // 2026-03-29 02:30 does not exist in Berlin (02:00 CET -> 03:00 CEST).
        let berlin = schedule("30 2 * * * in Europe/Berlin")
        #expect(slots(berlin, after: utc("2026-03-28T00:00:00Z"), count: 2)
            == [utc("2026-03-28T01:30:00Z"), utc("2026-03-30T00:30:00Z")])
        #expect(berlin.previous(atOrBefore: utc("2026-03-30T00:00:00Z")) == utc("2026-03-28T01:30:00Z"))
        // The day has 23 hourly slots.
        let hourly = schedule("hourly in Europe/Berlin")
        let day = hourly.status(lastRun: utc("2026-03-28T23:00:00Z"), activeSince: .distantPast, now: utc("2026-03-29T22:00:00Z"))
        #expect(day.missedSlots == 23)
    }

    @Test func berlinFallBackFiresOnce() {
        // 2026-10-25 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
        let berlin = schedule("30 2 * * * in Europe/Berlin")
        #expect(slots(berlin, after: utc("2026-10-24T12:00:00Z"), count: 2)
            == [utc("2026-10-25T00:30:00Z"), utc("2026-10-26T01:30:00Z")])
        #expect(berlin.next(after: utc("2026-10-25T01:00:00Z")) == utc("2026-10-26T01:30:00Z"))
        #expect(berlin.previous(atOrBefore: utc("2026-10-25T01:45:00Z")) == utc("2026-10-25T00:30:00Z"))
        // Schedules allowing every hour keep running through the repeated hour: 25 slots.
        let hourly = schedule("0 * * * * in Europe/Berlin")
        #expect(slots(hourly, after: utc("2026-10-24T23:30:00Z"), count: 3)
            == [utc("2026-10-25T00:00:00Z"), utc("2026-10-25T01:00:00Z"), utc("2026-10-25T02:00:00Z")])
        let day = hourly.status(lastRun: utc("2026-10-24T22:00:00Z"), activeSince: .distantPast, now: utc("2026-10-25T23:00:00Z"))
        #expect(day.missedSlots == 25)
    }

    @Test func newYorkTransitions() {
        // 2026-03-08 02:30 does not exist; 2026-11-01 01:30 happens twice.
        #expect(slots(schedule("30 2 * * * in America/New_York"), after: utc("2026-03-07T00:00:00Z"), count: 2)
            == [utc("2026-03-07T07:30:00Z"), utc("2026-03-09T06:30:00Z")])
        #expect(slots(schedule("30 1 * * * in America/New_York"), after: utc("2026-10-31T12:00:00Z"), count: 2)
            == [utc("2026-11-01T05:30:00Z"), utc("2026-11-02T06:30:00Z")])
    }

    /// Compares `next(after:)` with a minute-by-minute walk through local time.
    @Test("agrees with a brute-force walk around transitions", arguments: [
        ("30 2 * * *", "Europe/Berlin"), ("0 * * * *", "Europe/Berlin"), ("*/20 1-3 * * *", "Europe/Berlin"),
        ("15 0-2 * * sun", "America/New_York"), ("0,30 * * * *", "America/New_York"), ("45 1 * * *", "America/New_York"),
        ("0 3 * * *", "Australia/Sydney"), ("*/7 * 28-31 * *", "Asia/Kolkata"),
    ])
    func bruteForce(cron: String, zoneName: String) throws {
        let parsed = schedule("\(cron) in \(zoneName)")
        guard case .calendar(let pattern) = parsed.rule else { Issue.record("not a calendar rule"); return }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = parsed.timeZone
        let windows = ["2026-03-06T00:00:00Z", "2026-03-27T00:00:00Z", "2026-04-03T00:00:00Z", "2026-10-23T00:00:00Z", "2026-10-30T00:00:00Z"]
        for start in windows.map(utc) {
            var expected: [Date] = []
            var minute = start
            while minute < start.addingTimeInterval(4 * 86_400) {
                minute = minute.addingTimeInterval(60)
                let local = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: minute)
                let day = CivilDay(number: CivilDay.number(year: local.year!, month: local.month!, day: local.day!))
                guard pattern.minutes.contains(local.minute!), pattern.hours.contains(local.hour!), pattern.matches(day) else { continue }
                // A wall time shown an hour earlier too is its second occurrence.
                let hourBefore = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: minute.addingTimeInterval(-3600))
                if hourBefore == local, !pattern.firesInRepeatedHour { continue }
                expected.append(minute)
            }
            #expect(slots(parsed, after: start, count: expected.count) == expected, "\(cron) in \(zoneName) from \(start)")
            for (earlier, later) in zip(expected, expected.dropFirst()) {
                #expect(parsed.previous(atOrBefore: later.addingTimeInterval(-1)) == earlier, "\(cron) in \(zoneName) before \(later)")
                #expect(parsed.previous(atOrBefore: later) == later)
            }
        }
    }

    @Test func civilDaysMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for number in stride(from: -100_000, through: 800_000, by: 997) {  // 1696...4160: Foundation switches to the Julian calendar before 1582
            let date = Date(timeIntervalSince1970: TimeInterval(number) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let day = CivilDay(number: number)
            let expected: [Int] = [parts.year!, parts.month!, parts.day!, parts.weekday!]
            #expect([day.year, day.month, day.day, day.weekday + 1] == expected)
            #expect(CivilDay.number(year: day.year, month: day.month, day: day.day) == number)
        }
    }

    // MARK: Due status

    @Test func neverRanIsDueAtOnce() {
        let status = schedule("daily").status(lastRun: nil, activeSince: utc("2026-05-01T10:00:00Z"), now: utc("2026-05-01T10:05:00Z"))
        #expect(status == DueStatus(isDue: true, dueSince: utc("2026-05-01T10:00:00Z"), next: utc("2026-05-02T00:00:00Z"), isStale: false, missedSlots: 0))
    }

    @Test func justRanIsNotDue() {
        let now = utc("2026-05-01T10:05:00Z")
        let status = schedule("daily").status(lastRun: now, activeSince: utc("2026-04-01T00:00:00Z"), now: now)
        #expect(status == DueStatus(isDue: false, dueSince: nil, next: utc("2026-05-02T00:00:00Z"), isStale: false, missedSlots: 0))
    }

    @Test func missedOneSlotIsDueNotStale() {
        let status = schedule("daily").status(
            lastRun: utc("2026-05-01T10:00:00Z"), activeSince: utc("2026-04-01T00:00:00Z"), now: utc("2026-05-02T03:00:00Z"))
        #expect(status == DueStatus(isDue: true, dueSince: utc("2026-05-02T00:00:00Z"), next: utc("2026-05-03T00:00:00Z"), isStale: false, missedSlots: 1))
    }

    @Test func downForTenDaysIsStaleAndCatchesUpOnce() {
        let daily = schedule("daily")
        let now = utc("2026-05-11T03:00:00Z")
        let status = daily.status(lastRun: utc("2026-05-01T10:00:00Z"), activeSince: utc("2026-04-01T00:00:00Z"), now: now)
        #expect(status == DueStatus(isDue: true, dueSince: utc("2026-05-02T00:00:00Z"), next: utc("2026-05-12T00:00:00Z"), isStale: true, missedSlots: 10))
        // One run at `now` catches up: not due again until the next slot.
        let after = daily.status(lastRun: now, activeSince: utc("2026-04-01T00:00:00Z"), now: now.addingTimeInterval(3600))
        #expect(!after.isDue && after.missedSlots == 0 && !after.isStale)
        let tomorrow = daily.status(lastRun: now, activeSince: utc("2026-04-01T00:00:00Z"), now: utc("2026-05-12T00:00:00Z"))
        #expect(tomorrow.isDue && tomorrow.missedSlots == 1 && tomorrow.dueSince == utc("2026-05-12T00:00:00Z"))
    }

    @Test func intervalStatusCountsArithmetically() {
        let status = schedule("every 15m").status(
            lastRun: utc("2026-05-01T10:00:00Z"), activeSince: .distantPast, now: utc("2026-05-01T11:00:00Z"))
        #expect(status == DueStatus(isDue: true, dueSince: utc("2026-05-01T10:15:00Z"), next: utc("2026-05-01T11:15:00Z"), isStale: true, missedSlots: 4))
    }

    @Test func missedSlotsAreCapped() {
        let lastRun = utc("2026-04-01T00:00:00Z"), now = utc("2026-05-01T00:00:00Z")
        #expect(schedule("* * * * *").status(lastRun: lastRun, activeSince: lastRun, now: now).missedSlots == RefreshSchedule.missedSlotLimit)
        #expect(schedule("every 1m").status(lastRun: lastRun, activeSince: lastRun, now: now).missedSlots == RefreshSchedule.missedSlotLimit)
    }

    @Test func realtimeIsDueOnlyBeforeItsFirstRun() {
        let realtime = schedule("realtime")
        let now = utc("2026-05-01T10:00:00Z")
        #expect(realtime.status(lastRun: nil, activeSince: now, now: now)
            == DueStatus(isDue: true, dueSince: now, next: nil, isStale: false, missedSlots: 0))
        #expect(realtime.status(lastRun: now, activeSince: now, now: now.addingTimeInterval(86_400))
            == DueStatus(isDue: false, dueSince: nil, next: nil, isStale: false, missedSlots: 0))
    }
}
