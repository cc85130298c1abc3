/// One customer's purchase history in the form the BG/NBD model reads it,
/// with purchases counted once per day: how many repeat purchase days, when
/// the last one was, and how long the customer has been observed.
///
/// Times are whole days from the first purchase day (the "trial"), so
/// `0 <= lastPurchaseDay <= observedDays`.
public struct PurchaseHistory: Sendable, Hashable {
    /// `x`: purchase days after the first one.
    public var repeatPurchases: Int
    /// `t_x`: days from the first purchase day to the last one (0 when `x == 0`).
    public var lastPurchaseDay: Int
    /// `T`: days from the first purchase day to the end of observation.
    public var observedDays: Int

    /// Creates a history; see the properties for the meaning of each value.
    public init(repeatPurchases: Int, lastPurchaseDay: Int, observedDays: Int) {
        self.repeatPurchases = repeatPurchases
        self.lastPurchaseDay = lastPurchaseDay
        self.observedDays = observedDays
    }

    /// The history of a customer who bought on the given days (day numbers,
    /// any order, repeats allowed) observed until day `end` (exclusive: the
    /// last day that counts is `end - 1`); `nil` when nothing was bought before `end`.
    public init?(purchaseDays: some Sequence<Int>, end: Int) {
        var first = Int.max
        var last = Int.min
        var days = Set<Int>()
        for day in purchaseDays where day < end {
            days.insert(day)
            first = min(first, day)
            last = max(last, day)
        }
        guard !days.isEmpty else { return nil }
        self.init(repeatPurchases: days.count - 1, lastPurchaseDay: last - first, observedDays: end - first)
    }

    /// Whether the values are consistent (non-negative, last purchase within
    /// the observation, and no repeat purchase on day 0).
    public var isValid: Bool {
        repeatPurchases >= 0 && lastPurchaseDay >= 0 && lastPurchaseDay <= observedDays
            && (repeatPurchases == 0) == (lastPurchaseDay == 0)
    }
}
