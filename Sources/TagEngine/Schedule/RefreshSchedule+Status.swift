import Foundation

extension RefreshSchedule {
    /// The most slots ``status(lastRun:activeSince:now:)`` counts before it stops.
    public static let missedSlotLimit = 10_000

    /// Due state for a tag whose last run (any outcome) started at `lastRun`.
    ///
    /// The reference is `lastRun`, or `activeSince` when the tag never ran. The
    /// tag is due when a slot falls in `(reference, now]`; a tag that never ran
    /// is due at once (`dueSince == activeSince`), realtime ones included, so it
    /// gets a first full evaluation. After a long gap the tag is due once:
    /// running it moves the reference to the run, and it is not due again until
    /// the next slot.
    public func status(lastRun: Date?, activeSince: Date, now: Date) -> DueStatus {
        let reference = lastRun ?? activeSince
        let (count, first) = slots(after: reference, through: now)
        let neverRan = lastRun == nil
        return DueStatus(
            isDue: neverRan || count > 0,
            dueSince: neverRan ? activeSince : first,
            next: next(after: now),
            isStale: count >= 2,
            missedSlots: count)
    }

    /// How many slots fall in `(start, end]` (at most ``missedSlotLimit``), and the first.
    func slots(after start: Date, through end: Date) -> (count: Int, first: Date?) {
        guard start < end else { return (0, nil) }
        switch rule {
        case .realtime:
            return (0, nil)
        case .interval(let seconds):
            let step = TimeInterval(seconds)
            let before = (start.timeIntervalSince1970 / step).rounded(.down)
            let through = (end.timeIntervalSince1970 / step).rounded(.down)
            let count = Int(min(through - before, TimeInterval(Self.missedSlotLimit)))
            return (count, count > 0 ? Date(timeIntervalSince1970: (before + 1) * step) : nil)
        case .calendar(let pattern):
            let (count, first) = pattern.slots(
                after: start.timeIntervalSince1970, through: end.timeIntervalSince1970, limit: Self.missedSlotLimit, in: timeZone)
            return (count, first.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        }
    }
}
