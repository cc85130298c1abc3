/// What `tagd backtest` measured: a score or flag tag evaluated at an
/// earlier as-of, against what members did in the horizon after it, beside
/// a naive baseline.
public struct BacktestReport: Sendable, Codable {
    /// How good one ranking or selection is.
    public struct Figures: Sendable, Codable {
        /// What is measured (the tag, or the baseline's definition).
        public var name: String
        /// Area under the ROC curve (scores).
        public var auc: Double?
        /// Share of positives in the top tenth over the overall share (scores).
        public var topDecileLift: Double?
        /// Members selected (flags; for the baseline, as many as the flag selects).
        public var selected: Int?
        /// Positives among the selected, as a share (flags).
        public var precision: Double?
        /// Selected positives over all positives (flags).
        public var recall: Double?
    }

    /// The tag.
    public var tag: String
    /// `score` or `flag`.
    public var kind: String
    /// SHA-256 (hex) of the version evaluated.
    public var hash: String
    /// The as-of time evaluated at (epoch seconds UTC).
    public var asOf: Int64
    /// The horizon after it, in seconds.
    public var horizon: Int64
    /// The outcome a positive is, in words (e.g. `no paid order in (as-of, as-of + 90d]`).
    public var outcome: String
    /// Members measured.
    public var members: Int
    /// Of them, positives.
    public var positives: Int
    /// Which members are measured, in words.
    public var universe: String
    /// The tag's figures.
    public var model: Figures
    /// The naive baseline's figures.
    public var baseline: Figures
    /// Problems that make the figures less trustworthy (the horizon runs past the data...).
    public var warnings: [String]
    /// Wall time, in seconds.
    public var seconds: Double

    /// The positives' share.
    public var baseRate: Double { members == 0 ? 0 : Double(positives) / Double(members) }
}
