/// What re-evaluating realtime tags for a few members did.
public struct RealtimeOutcome: Sendable, Codable {
    /// One member's changed value.
    public struct Change: Sendable, Codable, Hashable {
        public var tag: String
        public var member: String
        public var change: String
        public var old: String?
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
    /// Wall time.
    public var seconds: Double = 0
}
