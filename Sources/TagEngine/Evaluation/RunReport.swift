/// What one rule run did.
public struct RunReport: Sendable, Codable {
    /// The tag.
    public var tag: String
    /// The run id in `runs` (also for failed runs).
    public var runID: Int64?
    /// `succeeded` or `failed`.
    public var status: String
    /// Members evaluated.
    public var members: Int
    /// Members with a value.
    public var covered: Int
    /// Members that got a value they did not have.
    public var gained: Int
    /// Members whose value was removed.
    public var lost: Int
    /// Members whose value changed to another one.
    public var changed: Int
    /// Wall time of this rule: evaluation plus writing.
    public var seconds: Double
    /// Seconds spent evaluating the rule (Lua), part of ``seconds``.
    public var evaluateSeconds: Double? = nil
    /// Seconds spent writing changes, part of ``seconds``.
    public var writeSeconds: Double? = nil
    /// The most frequent values with their counts.
    public var topValues: [ValueCount]
    /// Why it failed.
    public var error: String?
    /// `full` (every member evaluated) or `incremental` (from the tag's last snapshot).
    public var kind: String? = nil
    /// Members evaluated by this run (all of them for a full run).
    public var evaluated: Int? = nil
    /// Members re-computed or re-evaluated, by reason (`changed data`,
    /// `window expiry`, `dependency`, `days passed`, `population changed`, `as-of moved`, `full`).
    public var reasons: [String: Int]? = nil

    /// A value and how many members have it.
    public struct ValueCount: Sendable, Codable, Hashable {
        /// The tag value.
        public var value: String
        /// How many members hold it.
        public var count: Int
    }

    /// Share of members with a value.
    public var coverage: Double { members == 0 ? 0 : Double(covered) / Double(members) }
}
