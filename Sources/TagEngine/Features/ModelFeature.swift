import CustomerBase

/// A feature predicted by the BG/NBD model (see the `CustomerBase` module):
/// `p_alive`, `expected_purchases` or `p_purchase` over a source's rows.
///
/// Unlike a ``FeatureSpec`` it is not an aggregate of one member's rows: the
/// model is fitted over the rule's population at every run (purchases
/// counted once per day), then each member's value is predicted from their
/// own history. Its inputs are three plain features, computed by the usual
/// one-pass SQL and kept in snapshots.
public struct ModelFeature: Sendable, Hashable {
    /// What the model predicts.
    public enum Output: String, Sendable, Hashable, CaseIterable {
        /// P(alive): the probability the member has not dropped out.
        case pAlive = "p_alive"
        /// E[purchase days in the next `horizon`].
        case expectedPurchases = "expected_purchases"
        /// P(at least one purchase in the next `horizon`).
        case pPurchase = "p_purchase"
    }

    /// The prediction.
    public var output: Output
    /// The rows that count as purchases.
    public var source: FeatureSource
    /// Conditions every counted row meets (`where`).
    public var filters: [FeatureSpec.Filter]
    /// The prediction horizon in seconds (`expected_purchases`, `p_purchase`).
    public var horizon: Int64?

    /// Distinct purchase days up to the as-of time (`x + 1`).
    var activeDays: FeatureSpec { FeatureSpec(function: .activeDays, source: source, column: nil, within: nil, filters: filters) }
    /// The first purchase's timestamp.
    var firstTimestamp: FeatureSpec { FeatureSpec(function: .min, source: source, column: "ts", within: nil, filters: filters) }
    /// The last purchase's timestamp.
    var lastTimestamp: FeatureSpec { FeatureSpec(function: .max, source: source, column: "ts", within: nil, filters: filters) }
    /// The plain features the model reads.
    var inputs: [FeatureSpec] { [activeDays, firstTimestamp, lastTimestamp] }

    /// The model input of member `index` of `table` at `asOf` (`nil`: no purchase yet).
    func history(at index: Int, in table: FeatureTable, asOf: Int64) -> PurchaseHistory? {
        guard let days = table.column(activeDays).number(at: index), days >= 1,
            let first = table.column(firstTimestamp).number(at: index),
            let last = table.column(lastTimestamp).number(at: index)
        else { return nil }
        let firstDay = Self.day(first)
        return PurchaseHistory(
            repeatPurchases: Int(days) - 1, lastPurchaseDay: Self.day(last) - firstDay,
            observedDays: Self.day(Double(asOf)) - firstDay)
    }

    /// The UTC day number of a timestamp.
    static func day(_ seconds: Double) -> Int { Int((seconds / 86_400).rounded(.down)) }
}
