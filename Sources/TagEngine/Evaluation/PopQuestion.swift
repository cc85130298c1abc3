/// A `pop` call whose answer depends on one member's value as well as on the
/// population: `pop.ntile("f", v, 5)`, `pop.above("f", v, "mean")`...
///
/// Unlike a constant statistic (`pop.mean "f"`, the same for every member),
/// its answer for an unchanged member moves only when the population moves
/// across that member's value. The host records every such answer, so an
/// incremental run re-evaluates only the members whose answers moved (see
/// ``PopRecording``).
enum PopQuestion: UInt8, CaseIterable, Sendable {
    /// `pop.rank("f", v)`: 1 + the number of values above `v`.
    case rank
    /// `pop.percentile("f", v)`: the share of values at or below `v`.
    case percentile
    /// `pop.ntile("f", v, n)`: 1..n, n = the top share.
    case ntile
    /// `pop.above("f", v, stat)`: `v > stat`.
    case above
    /// `pop.below("f", v, stat)`: `v < stat`.
    case below
    /// `pop.at_least("f", v, stat)`: `v >= stat`.
    case atLeast
    /// `pop.at_most("f", v, stat)`: `v <= stat`.
    case atMost

    /// The question asked as `pop.<name>`.
    init?(name: String) {
        switch name {
        case "rank": self = .rank
        case "percentile": self = .percentile
        case "ntile": self = .ntile
        case "above": self = .above
        case "below": self = .below
        case "at_least": self = .atLeast
        case "at_most": self = .atMost
        default: return nil
        }
    }

    /// Whether the answer is a comparison with a statistic (`above`, `below`...).
    var isComparison: Bool { rawValue >= PopQuestion.above.rawValue }

    /// The statistic a comparison names, as its parameter: the mean is -1, a
    /// quantile its share (`"median"` 0.5, `"p80"` 0.8, `"p99.5"` 0.995).
    static func statistic(_ name: String) -> Double? {
        switch name {
        case "mean": return -1
        case "median": return 0.5
        default:
            guard name.hasPrefix("p"), let percent = Double(name.dropFirst()), (0...100).contains(percent) else { return nil }
            return percent / 100
        }
    }
}
