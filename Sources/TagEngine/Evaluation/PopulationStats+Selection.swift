extension PopulationStats {
    /// The values at `positions` (0-based) of the population's values of
    /// `name` in ascending order, without sorting them all: a quantile needs
    /// two of them and a whole `ntile` one per tile boundary, so an
    /// incremental run that asks only those pays a selection (linear), not a
    /// sort of a million values. Answered from the sorted values when a
    /// question already needed them (`rank`, `percentile`).
    func orderStatistics(_ name: String, at positions: [Int]) throws -> [Double] {
        if let sorted = lock.withLock({ sortedCache[name] }) { return positions.map { sorted[$0] } }
        let wanted = Set(positions).subtracting(lock.withLock { selectedCache[name]?.keys.map { $0 } ?? [] })
        if !wanted.isEmpty {
            var values = try includedValues(name)
            let targets = wanted.sorted()
            guard let last = targets.last, targets[0] >= 0, last < values.count else {
                throw StatError.badArgument("order statistic out of range")
            }
            let sampled = values.count >= Self.sampledSelectionMinimum && targets.count <= 16
                ? values.withUnsafeBufferPointer { Self.sampleSelect($0, targets: targets) } : nil
            let found: [(Int, Double)]
            if let sampled {
                found = Array(zip(targets, sampled))
            } else {
                values.withUnsafeMutableBufferPointer { buffer in
                    Self.select(buffer, targets: targets[...], depth: 2 * Self.log2(buffer.count) + 4)
                }
                found = targets.map { ($0, values[$0]) }
            }
            lock.withLock { selectedCache[name, default: [:]].merge(found) { a, _ in a } }
        }
        return lock.withLock { positions.map { selectedCache[name]?[$0] ?? .nan } }
    }

    /// The non-nil values of the population for `name`, in member order.
    private func includedValues(_ name: String) throws -> ContiguousArray<Double> {
        var result = ContiguousArray<Double>()
        result.reserveCapacity(try summary(name).count)
        try forEachIncluded(name) { result.append($0) }
        return result
    }

    private static func log2(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - n.leadingZeroBitCount }

    /// Puts the value of every position in `targets` (ascending, inside
    /// `buffer`) where a sort would: a three-way quickselect that follows
    /// only the sides holding targets (a run of equal values settles every
    /// target inside it at once), and sorts a side outright when it is small
    /// or the partitions went badly `depth` times (so no input makes it quadratic).
    static func select(_ buffer: UnsafeMutableBufferPointer<Double>, targets: ArraySlice<Int>, depth: Int) {
        var stack: [(low: Int, high: Int, targets: ArraySlice<Int>, depth: Int)] = [(0, buffer.count, targets, depth)]
        while let (low, high, targets, depth) = stack.popLast() {
            guard !targets.isEmpty else { continue }
            if high - low <= 32 || depth == 0 {
                var side = UnsafeMutableBufferPointer(rebasing: buffer[low..<high])
                side.sort()
                continue
            }
            // Median of three as the pivot.
            let a = buffer[low], b = buffer[(low + high) / 2], c = buffer[high - 1]
            let pivot = max(min(a, b), min(max(a, b), c))
            // [low, less) < pivot, [less, index) == pivot, [greater, high) > pivot.
            var less = low, index = low, greater = high
            while index < greater {
                let value = buffer[index]
                if value < pivot {
                    buffer.swapAt(index, less)
                    less += 1
                    index += 1
                } else if value > pivot {
                    greater -= 1
                    buffer.swapAt(index, greater)
                } else {
                    index += 1
                }
            }
            let below = targets.prefix { $0 < less }
            let above = targets.drop { $0 < greater }
            stack.append((low, less, below, depth - 1))
            stack.append((greater, high, above, depth - 1))
        }
    }

    /// From this many values on, ``orderStatistics(_:at:)`` tries ``sampleSelect(_:targets:sampleSize:)`` first.
    static let sampledSelectionMinimum = 100_000

    /// The values at `targets` (ascending, 0-based) of `values` in
    /// ascending order, in one read-only pass (Floyd and Rivest's idea): a
    /// sorted sample brackets each target between two sampled values, the
    /// pass counts the values below each bracket and keeps those inside it
    /// (a few percent), and only those are sorted. `nil` when a target falls
    /// outside its bracket (about once in ten thousand) or a value is NaN:
    /// then the caller selects in full. The sample is fixed (no randomness
    /// from run to run), and the answer never depends on it, only the cost.
    static func sampleSelect(_ values: UnsafeBufferPointer<Double>, targets: [Int], sampleSize: Int = 16_384) -> [Double]? {
        let count = values.count
        guard count > 0, !targets.isEmpty else { return [] }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var sample = (0..<min(sampleSize, count)).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return values[Int((state >> 33) % UInt64(count))]
        }
        guard !sample.contains(where: \.isNaN) else { return nil }
        sample.sort()
        // Four standard deviations of a sampled rank either side of the target's.
        let gap = max(16, Int((Double(sample.count) * 0.25).squareRoot() * 4))
        let brackets = targets.map { target -> (low: Double, high: Double) in
            let rank = Int(Double(target) / Double(count) * Double(sample.count))
            let low = rank - gap < 0 ? -Double.infinity : sample[rank - gap]
            let high = rank + gap >= sample.count ? Double.infinity : sample[rank + gap]
            return (low, high)
        }
        var result: [Double] = []
        for (number, (target, bracket)) in zip(targets, brackets).enumerated() {
            // One tight pass per bracket: a count and a few percent of the values kept.
            let (low, high) = bracket
            var below = 0
            var inside: [Double] = []
            inside.reserveCapacity(count / max(1, sample.count) * (4 * gap + 16))
            // A NaN is neither below nor inside any bracket: the first pass makes sure there is none.
            let checksNaN = number == 0
            var sawNaN = false
            for value in values {
                below &+= value < low ? 1 : 0
                if value >= low, value <= high { inside.append(value) }
                if checksNaN, value != value { sawNaN = true }
            }
            let position = target - below
            guard !sawNaN, position >= 0, position < inside.count else { return nil }
            // A bracket of one repeated value (counts, days) holds the answer already.
            if low == high {
                result.append(low)
                continue
            }
            inside.withUnsafeMutableBufferPointer { buffer in
                select(buffer, targets: [position], depth: 2 * log2(buffer.count) + 4)
            }
            result.append(inside[position])
        }
        return result
    }
}
