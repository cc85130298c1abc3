/// How `pop` answers one question of one feature for any value, with the
/// statistic looked up once (``PopulationStats/answering(_:feature:parameter:derived:)``).
///
/// A plain value rather than a closure: checking a million recorded answers
/// (``PopRecording/moved(stats:derived:count:changed:previousIndex:)``) then
/// costs a few comparisons each, inlined, instead of a call through a closure.
enum PopAnswerer {
    /// The population has no value to answer from.
    case none
    /// `ntile` with whole tiles: 1 + the number of boundaries the value is
    /// above (`nil`: a boundary every value is above).
    case tiles([Double?])
    /// A comparison with a statistic, answering 1 or 0.
    case compare(PopQuestion, Double)
    /// Anything else (`rank`, `percentile`, uneven tiles): a search.
    case search((Double) -> Double?)

    /// The answer for `value` (`nil`: none).
    @inline(__always)
    func answer(_ value: Double) -> Double? {
        switch self {
        case .none:
            return nil
        case .tiles(let bounds):
            var result = 1.0
            for bound in bounds {
                guard bound.map({ $0 < value }) ?? true else { break }
                result += 1
            }
            return result
        case .compare(let question, let threshold):
            switch question {
            case .above: return value > threshold ? 1 : 0
            case .below: return value < threshold ? 1 : 0
            case .atLeast: return value >= threshold ? 1 : 0
            default: return value <= threshold ? 1 : 0
            }
        case .search(let answer):
            return answer(value)
        }
    }

    /// ``answer(_:)``, called like the closure it replaces.
    func callAsFunction(_ value: Double) -> Double? { answer(value) }
}
