/// A small discrete distribution over `0..<count` for ``DemoGenerator``:
/// cumulative weights searched linearly (tables have at most a dozen entries).
struct DemoWeights: Sendable {
    private let cumulative: [Double]

    /// Creates the distribution from relative, non-negative weights.
    init(_ weights: [Double]) {
        precondition(!weights.isEmpty, "DemoWeights needs at least one weight")
        let total = weights.reduce(0, +)
        var running = 0.0
        var table: [Double] = []
        table.reserveCapacity(weights.count)
        for weight in weights {
            running += weight / total
            table.append(running)
        }
        table[table.count - 1] = 1.0
        cumulative = table
    }

    /// Number of outcomes.
    var count: Int { cumulative.count }

    /// Draws an index with probability proportional to its weight.
    @inline(__always)
    func pick(_ rng: inout DemoRandom) -> Int {
        let u = rng.unit()
        var index = 0
        while u >= cumulative[index] { index += 1 }
        return index
    }
}
