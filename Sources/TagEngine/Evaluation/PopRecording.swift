import LuaHost

/// What a pop-reading rule asked `pop` in its last run, member by member, so
/// that the next incremental run can tell which unchanged members would get
/// another answer now.
///
/// A rule's `evaluate` is a function of the member's features and of what
/// `pop` answered. When 1 % of the members change, a constant statistic
/// (`pop.mean "f"`) moves, and every member must be evaluated again; but the
/// answer to a *question* about a member's value (`pop.above("f", m.f, "mean")`,
/// `pop.ntile("f", m.f, 5)`) moves only for the few members near a boundary.
/// The recording keeps every question asked with its answer; a later run
/// asks them again against the new statistics (in Swift, no Lua) and
/// evaluates only the members whose answers differ, plus the changed ones.
/// That is exact: an unchanged member that gets the same answers takes the
/// same path through `evaluate` and returns the same value. Any constant
/// statistic the rule read that moved makes the run evaluate everyone.
struct PopRecording: Sendable {
    /// A question asked, without the member's value: what is asked of which feature.
    struct Key: Hashable, Sendable {
        var question: PopQuestion
        var feature: String
        var parameter: Double
    }

    /// A constant statistic read, with the answer it had.
    struct Constant: Hashable, Sendable {
        /// `op, feature, a` as passed to the host.
        var arguments: [LuaValue]
        var answer: [LuaValue]
    }

    /// The distinct questions; entries refer to them by index.
    var keys: [Key] = []
    /// Member `i`'s entries are `offsets[i] ..< offsets[i + 1]` (by index in the
    /// table the recording was made over).
    var offsets: ContiguousArray<Int32> = [0]
    /// Per entry: the question (index into `keys`), the member's value, the answer (NaN: none).
    var keyIDs: ContiguousArray<UInt16> = []
    var values: ContiguousArray<Double> = []
    var answers: ContiguousArray<Double> = []
    /// Constant statistics read (any member).
    var constants: [Constant] = []
    /// What decided each question's answers when they were last checked
    /// (``PopulationStats/fingerprint(_:feature:parameter:derived:)``): a
    /// question whose fingerprint is the same now is not asked again.
    /// Kept in the snapshot's header, since every run updates it.
    var fingerprints: [Key: [Double]] = [:]

    /// The members covered.
    var count: Int { offsets.count - 1 }

    /// The entries of member `index`.
    func entries(of index: Int) -> Range<Int> { Int(offsets[index])..<Int(offsets[index + 1]) }
}
