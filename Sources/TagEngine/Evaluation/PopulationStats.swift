import Foundation

/// Statistics over the population of one rule run, answered for `pop.*` in
/// `evaluate`. Computed lazily per feature from the ``FeatureTable``: values
/// of members outside the rule's `population` and nil values are left out.
///
/// Thread-safe: realtime evaluation shares one instance between Lua states.
final class PopulationStats: @unchecked Sendable {
    let table: FeatureTable
    let featuresByName: [String: FeatureSpec]
    let included: [Bool]?
    let size: Int
    var sortedCache: [String: [Double]] = [:]
    /// Order statistics found without a sort (``orderStatistics(_:at:)``), by feature and position.
    var selectedCache: [String: [Int: Double]] = [:]
    private var summaryCache: [String: Summary] = [:]
    /// ``answering(_:feature:parameter:derived:)`` by question, so a question asked of every member is prepared once.
    private var answerCache: [PopRecording.Key: PopAnswerer] = [:]
    let lock = NSLock()

    /// What the constant statistics need of a feature, in one pass (no sort).
    struct Summary {
        var count = 0
        var sum = 0.0
        var min = Double.infinity
        var max = -Double.infinity
    }

    init(table: FeatureTable, featuresByName: [String: FeatureSpec], included: [Bool]?) {
        self.table = table
        self.featuresByName = featuresByName
        self.included = included
        self.size = included.map { $0.lazy.filter { $0 }.count } ?? table.count
    }

    enum StatError: Error, CustomStringConvertible {
        case unknownFeature(String, known: [String])
        case notNumeric(String)
        case badArgument(String)

        var description: String {
            switch self {
            case .unknownFeature(let name, let known):
                return "pop: unknown feature '\(name)' (declared: \(known.joined(separator: ", ")))"
            case .notNumeric(let name): return "pop: feature '\(name)' is not numeric"
            case .badArgument(let text): return "pop: \(text)"
            }
        }
    }

    /// Every member's value of numeric feature `name`.
    private func column(_ name: String) throws -> ContiguousArray<Double> {
        guard let spec = featuresByName[name] else {
            throw StatError.unknownFeature(name, known: featuresByName.keys.sorted())
        }
        guard let values = table.column(spec).doubles else { throw StatError.notNumeric(name) }
        return values
    }

    /// Calls `body` with each non-nil value of the population for feature
    /// `name`, in member order; a compact column is read as it is stored
    /// (no 8-byte copy of it).
    func forEachIncluded(_ name: String, _ body: (Double) -> Void) throws {
        if let spec = featuresByName[name], case .compact(_, let whole) = table.column(spec) {
            for (index, value) in whole.enumerated() where !value.isNaN && (included?[index] ?? true) { body(Double(value)) }
        } else {
            for (index, value) in try column(name).enumerated() where !value.isNaN && (included?[index] ?? true) { body(value) }
        }
    }

    /// Non-nil values of the population for feature `name`, ascending.
    func sorted(_ name: String) throws -> [Double] {
        lock.lock()
        defer { lock.unlock() }
        if let cached = sortedCache[name] { return cached }
        if let spec = featuresByName[name], case .compact(_, let whole) = table.column(spec),
            let counted = Self.countingSort(whole, included: included)
        {
            sortedCache[name] = counted
            return counted
        }
        var result: [Double] = []
        result.reserveCapacity(size)
        try forEachIncluded(name) { result.append($0) }
        result.sort()
        sortedCache[name] = result
        return result
    }

    /// The non-nil values of a compact column (whole numbers) among the
    /// included members, ascending, by counting each value: two passes and
    /// no comparisons. `nil` when the values span more than `span` numbers
    /// (a comparison sort is then cheaper) or one is not whole.
    static func countingSort(_ values: ContiguousArray<Float>, included: [Bool]?, span: Int = 1 << 22) -> [Double]? {
        var low = Float.infinity
        var high = -Float.infinity
        for (index, value) in values.enumerated() where !value.isNaN && (included?[index] ?? true) {
            guard value.rounded(.towardZero) == value else { return nil }  // whole numbers only
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        guard low <= high else { return [] }
        guard Double(high) - Double(low) < Double(span) else { return nil }
        var counts = [Int](repeating: 0, count: Int(high - low) + 1)
        var total = 0
        for (index, value) in values.enumerated() where !value.isNaN && (included?[index] ?? true) {
            counts[Int(value - low)] += 1
            total += 1
        }
        var result: [Double] = []
        result.reserveCapacity(total)
        for (offset, count) in counts.enumerated() where count > 0 {
            result.append(contentsOf: repeatElement(Double(low) + Double(offset), count: count))
        }
        return result
    }

    /// Count, sum, min and max of the population's values of `name`, in member order.
    func summary(_ name: String) throws -> Summary {
        if let cached = lock.withLock({ summaryCache[name] }) { return cached }
        var summary = Summary()
        func add(_ value: Double) {
            summary.count += 1
            summary.sum += value
            summary.min = Swift.min(summary.min, value)
            summary.max = Swift.max(summary.max, value)
        }
        try forEachIncluded(name, add)
        lock.withLock { summaryCache[name] = summary }
        return summary
    }

    /// The mean of the population's values of `name` (`nil`: none).
    func mean(_ name: String) throws -> Double? {
        let summary = try summary(name)
        return summary.count == 0 ? nil : summary.sum / Double(summary.count)
    }

    /// The answer to `question` for a member whose value is `value`
    /// (`parameter`: the tiles of `ntile`, the statistic of a comparison as
    /// ``PopQuestion/statistic(_:)`` encodes it); `nil` when the population
    /// has no value to answer from. Comparisons answer 1 or 0; `derived`
    /// answers the parameters that name a rule's derived statistics.
    func answer(
        _ question: PopQuestion, feature name: String, value: Double, parameter: Double, derived: DerivedStatistics = .init()
    ) throws -> Double? {
        // Derived statistics differ between callers; the others are the same for the whole population.
        guard parameter > -2 else { return try answering(question, feature: name, parameter: parameter, derived: derived).answer(value) }
        let key = PopRecording.Key(question: question, feature: name, parameter: parameter)
        if let known = lock.withLock({ answerCache[key] }) { return known.answer(value) }
        let made = try answering(question, feature: name, parameter: parameter)
        lock.withLock { answerCache[key] = made }
        return made.answer(value)
    }

    /// ``answer(_:feature:value:parameter:derived:)`` for any value: the
    /// statistic is looked up once, so asking many members' values (a
    /// replay) costs a comparison or a binary search each.
    func answering(
        _ question: PopQuestion, feature name: String, parameter: Double, derived: DerivedStatistics = .init()
    ) throws -> PopAnswerer {
        switch question {
        case .ntile:
            let count = try summary(name).count
            guard count > 0, parameter >= 1 else { return .none }
            guard let bounds = try tileBoundaries(name, count: count, tiles: parameter) else {
                let values = try sorted(name)
                let tile = Self.tile(count: count, tiles: parameter)
                return .search { value in tile(Self.partition(values) { $0 < value }) }
            }
            return .tiles(bounds)
        case .rank, .percentile:
            let values = try sorted(name)
            let count = values.count
            if question == .rank { return .search { value in Double(count - Self.partition(values) { $0 <= value } + 1) } }
            guard count > 0 else { return .none }
            return .search { value in Double(Self.partition(values) { $0 <= value }) / Double(count) }
        case .above, .below, .atLeast, .atMost:
            guard let threshold = try threshold(feature: name, parameter: parameter, derived: derived) else { return .none }
            return .compare(question, threshold)
        }
    }

    /// The statistic a comparison compares with: a derived statistic
    /// (`parameter <= -2`), the mean (`-1`) or a quantile (`0...1`).
    func threshold(feature name: String, parameter: Double, derived: DerivedStatistics) throws -> Double? {
        parameter <= -2 ? derived.value(of: parameter) : parameter < 0 ? try mean(name) : try quantile(name, parameter)
    }

    /// The tile of `tiles` of a value with `below` of the `count` values below it.
    static func tile(count: Int, tiles: Double) -> (Int) -> Double {
        { below in min(tiles, (Double(below) / Double(count) * tiles).rounded(.down) + 1) }
    }

    /// For a whole number of `tiles` (at most 1,000): how many of the
    /// `count` values lie below each tile's start. The tile only grows with
    /// the count of values below, so a value's tile is 1 + the number of
    /// boundaries it is above: a few comparisons instead of a search.
    static func tileBounds(count: Int, tiles: Double) -> [Int]? {
        guard tiles == tiles.rounded(), tiles >= 1, tiles <= 1_000 else { return nil }
        let tile = tile(count: count, tiles: tiles)
        return (1..<Int(tiles)).map { k in partitionCounts(count) { tile($0) < Double(k + 1) } }
    }

    /// For a whole number of `tiles`, the value each tile's start must lie
    /// above (``tileBounds(count:tiles:)``): the largest value below it, or
    /// `nil` when no value lies below it. `nil` for other counts of tiles.
    func tileBoundaries(_ name: String, count: Int, tiles: Double) throws -> [Double?]? {
        guard let bounds = Self.tileBounds(count: count, tiles: tiles) else { return nil }
        let below = try orderStatistics(name, at: bounds.filter { $0 > 0 }.map { $0 - 1 })
        var next = below.makeIterator()
        return bounds.map { $0 == 0 ? nil : next.next() }
    }

    /// Share-based quantile with linear interpolation (`q` in 0...1).
    func quantile(_ name: String, _ q: Double) throws -> Double? {
        guard (0...1).contains(q) else { throw StatError.badArgument("quantile expects 0 <= q <= 1, got \(q)") }
        let count = try summary(name).count
        guard count > 0 else { return nil }
        let position = q * Double(count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, count - 1)
        let values = try orderStatistics(name, at: [low, high])
        return values[0] + (values[1] - values[0]) * (position - Double(low))
    }

    /// The first count in `0...count` for which `isLow` is false (`isLow` holds for a prefix).
    private static func partitionCounts(_ count: Int, _ isLow: (Int) -> Bool) -> Int {
        var low = 0
        var high = count + 1
        while low < high {
            let mid = (low + high) / 2
            if isLow(mid) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The number of leading elements of ascending `values` that satisfy `isLow`.
    private static func partition(_ values: [Double], _ isLow: (Double) -> Bool) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if isLow(values[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
