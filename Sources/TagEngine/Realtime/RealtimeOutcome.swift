/// What re-evaluating realtime tags for a few members did.
public struct RealtimeOutcome: Sendable, Codable {
    /// One member's changed value.
    public struct Change: Sendable, Codable, Hashable {
        /// The realtime tag.
        public var tag: String
        /// The member's external id.
        public var member: String
        /// `gained`, `lost` or `changed`.
        public var change: String
        /// The value before; `nil` when gained.
        public var old: String?
        /// The value now; `nil` when lost.
        public var new: String?
    }

    /// Realtime tags evaluated.
    public var tags: [String] = []
    /// Members evaluated.
    public var members: Int = 0
    /// Values that changed.
    public var changes: [Change] = []
    /// Rules that failed (their values are untouched), with the error.
    public var errors: [String] = []
    /// For an expiry (``RealtimeEngine/expire(at:)``): per changed value, the
    /// seconds between the moment the member's window lapsed (a row's
    /// `ts + within`, a row dated in the future coming due, a day boundary of
    /// `days_since`) and the expiry that changed it; `nil` after an ingest.
    public var lags: [Double]?
    /// Wall time.
    public var seconds: Double = 0
}
