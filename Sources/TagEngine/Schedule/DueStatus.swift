import Foundation

/// Whether a scheduled tag should run now, computed by ``RefreshSchedule/status(lastRun:activeSince:now:)``.
public struct DueStatus: Sendable, Hashable {
    /// True when a slot fell in `(reference, now]`, or the tag has never run.
    public var isDue: Bool
    /// The first slot after the reference (for a tag that never ran: the moment it became active).
    public var dueSince: Date?
    /// The next slot strictly after `now` (`nil` for realtime tags or schedules that never fire again).
    public var next: Date?
    /// True when at least one whole slot was missed: a second slot after the reference is also `<= now`.
    public var isStale: Bool
    /// How many slots fell in `(reference, now]`, capped at ``RefreshSchedule/missedSlotLimit``.
    public var missedSlots: Int

    /// Creates a status.
    public init(isDue: Bool, dueSince: Date?, next: Date?, isStale: Bool, missedSlots: Int) {
        self.isDue = isDue
        self.dueSince = dueSince
        self.next = next
        self.isStale = isStale
        self.missedSlots = missedSlots
    }
}
