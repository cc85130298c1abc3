/// The customers a BG/NBD model is fitted to, grouped by what the
/// likelihood reads: counts per repeat count `x`, one-time buyers by their
/// observation time, repeat buyers by `(x, t_x, T)`. A million customers
/// share far fewer distinct histories, so each likelihood evaluation costs
/// the number of groups, not of customers.
public struct CustomerCohort: Sendable {
    /// Customers in the cohort.
    public private(set) var count = 0
    /// The longest observation, in days (the size of the day tables).
    private(set) var maxDay = 0
    /// The largest repeat count.
    private(set) var maxRepeats = 0
    /// Customers by repeat count `x` (index = x).
    private(set) var byRepeats: [Double] = []
    /// One-time buyers (x = 0): observation days and how many share each.
    private(set) var oneTime: [(day: Int, count: Double)] = []
    /// Repeat buyers grouped by `(x, t_x, T)`, sorted, column by column:
    /// `x`, `t_x` and `T` in days, and how many customers share each.
    private(set) var repeatX: [Int32] = []
    private(set) var repeatLast: [Int32] = []
    private(set) var repeatObserved: [Int32] = []
    private(set) var repeatCount: [Double] = []
    /// Time unit of the parameters, in days.
    public let unitDays: Double

    /// Why a cohort cannot be built or fitted.
    public struct Invalid: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Groups `histories`; an inconsistent history (see ``PurchaseHistory/isValid``) is an error naming it.
    public init(_ histories: some Sequence<PurchaseHistory>, unitDays: Double = 7) throws(Invalid) {
        self.unitDays = unitDays
        var oneTimeCounts: [Double] = []
        var repeatKeys: [UInt64] = []
        for h in histories {
            guard h.isValid, h.observedDays < 1 << 21, h.repeatPurchases < 1 << 21 else {
                throw Invalid(description: "invalid purchase history \(h) (need 0 <= t_x <= T < 2^21 days, t_x = 0 exactly when x = 0)")
            }
            count += 1
            maxDay = max(maxDay, h.observedDays)
            maxRepeats = max(maxRepeats, h.repeatPurchases)
            if byRepeats.count <= h.repeatPurchases { byRepeats += [Double](repeating: 0, count: h.repeatPurchases + 1 - byRepeats.count) }
            byRepeats[h.repeatPurchases] += 1
            if h.repeatPurchases == 0 {
                if oneTimeCounts.count <= h.observedDays {
                    oneTimeCounts += [Double](repeating: 0, count: h.observedDays + 1 - oneTimeCounts.count)
                }
                oneTimeCounts[h.observedDays] += 1
            } else {
                repeatKeys.append(UInt64(h.repeatPurchases) << 42 | UInt64(h.lastPurchaseDay) << 21 | UInt64(h.observedDays))
            }
        }
        if byRepeats.isEmpty { byRepeats = [0] }
        oneTime = oneTimeCounts.indices.filter { oneTimeCounts[$0] > 0 }.map { ($0, oneTimeCounts[$0]) }
        // Sorting packs equal histories together and fixes the summation order.
        repeatKeys.sort()
        var i = 0
        while i < repeatKeys.count {
            var j = i + 1
            while j < repeatKeys.count, repeatKeys[j] == repeatKeys[i] { j += 1 }
            let key = repeatKeys[i]
            repeatX.append(Int32(key >> 42))
            repeatLast.append(Int32(key >> 21 & 0x1F_FFFF))
            repeatObserved.append(Int32(key & 0x1F_FFFF))
            repeatCount.append(Double(j - i))
            i = j
        }
    }

    /// Distinct histories the likelihood sums over.
    public var groups: Int { oneTime.count + repeatX.count }
}
