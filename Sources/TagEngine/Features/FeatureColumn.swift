/// The values of one feature for every member, stored compactly: numbers as
/// `Double` (NaN meaning nil), whole numbers that fit in 24 bits as `Float`
/// (half the memory), text as indexes into a dictionary (-1 meaning nil).
public enum FeatureColumn: Sendable {
    /// Integers, floats or booleans (0/1), by member index.
    case numeric(FeatureSource.ColumnType, ContiguousArray<Double>)
    /// Counts and day numbers (``FeatureSpec/isWhole``) by member index, 4
    /// bytes each: every value is exact (a column whose value would not be
    /// becomes ``numeric(_:_:)`` first, see ``setNumber(_:at:)``).
    case compact(FeatureSource.ColumnType, ContiguousArray<Float>)
    /// Text values by member index, as indexes into `dictionary`.
    case text(ContiguousArray<Int32>, dictionary: [String])

    /// An all-empty column for `spec` over `count` members.
    init(spec: FeatureSpec, count: Int) {
        if spec.resultType == .text {
            self = .text(ContiguousArray(repeating: -1, count: count), dictionary: [])
        } else if spec.isWhole {  // empty: 0 or none, both exact in 4 bytes
            self = .compact(spec.resultType, ContiguousArray(repeating: Float(spec.emptyValue ?? .nan), count: count))
        } else {
            self = .numeric(spec.resultType, ContiguousArray(repeating: spec.emptyValue ?? .nan, count: count))
        }
    }

    /// Whether `value` is stored exactly as a `Float` (NaN too).
    @inline(__always)
    static func fitsCompact(_ value: Double) -> Bool { value.isNaN || Double(Float(value)) == value }

    /// The numeric value of member `index`, or `nil` (always `nil` for text).
    public func number(at index: Int) -> Double? {
        let value = double(at: index)
        return value.isNaN ? nil : value
    }

    /// The numeric value of member `index` as stored, NaN for none or text.
    @inline(__always)
    func double(at index: Int) -> Double {
        switch self {
        case .numeric(_, let values): values[index]
        case .compact(_, let values): Double(values[index])
        case .text: .nan
        }
    }

    /// Whether the column holds numbers (in either width).
    var isNumeric: Bool {
        if case .text = self { return false }
        return true
    }

    /// The column's numbers in 8 bytes each (a copy for a compact column), `nil` for text.
    var doubles: ContiguousArray<Double>? {
        switch self {
        case .numeric(_, let values): values
        case .compact(_, let values): ContiguousArray(values.lazy.map(Double.init))
        case .text: nil
        }
    }

    /// A numeric column of `type` holding `values`, compact when `compact`
    /// and every value fits.
    static func numbers(_ type: FeatureSource.ColumnType, _ values: ContiguousArray<Double>, compact: Bool) -> FeatureColumn {
        guard compact, values.allSatisfy(fitsCompact) else { return .numeric(type, values) }
        return .compact(type, ContiguousArray(values.lazy.map(Float.init)))
    }

    /// Sets member `index`'s number in place (NaN for none), widening a
    /// compact column to 8 bytes first when `value` does not fit; a no-op
    /// on text.
    mutating func setNumber(_ value: Double, at index: Int) {
        switch self {
        case .numeric(let type, var values):
            self = .numeric(type, [])  // drop the second reference before writing
            values[index] = value
            self = .numeric(type, values)
        case .compact(let type, var values):
            self = .compact(type, [])
            if Self.fitsCompact(value) {
                values[index] = Float(value)
                self = .compact(type, values)
            } else {
                var wide = ContiguousArray(values.lazy.map(Double.init))
                wide[index] = value
                self = .numeric(type, wide)
            }
        case .text:
            return
        }
    }

    /// The text value of member `index`, or `nil`.
    public func text(at index: Int) -> String? {
        guard case .text(let codes, let dictionary) = self, codes[index] >= 0 else { return nil }
        return dictionary[Int(codes[index])]
    }
}
