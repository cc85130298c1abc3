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
            values.withUnsafeMutableBufferPointer { buffer in
                Self.select(buffer, targets: targets[...], depth: 2 * Self.log2(buffer.count) + 4)
            }
            let found = targets.map { ($0, values[$0]) }
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
}
