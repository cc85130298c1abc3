/// The values of one feature for every member, stored compactly: numbers as
/// `Double` (NaN meaning nil), text as indexes into a dictionary (-1 meaning nil).
public enum FeatureColumn: Sendable {
    /// Integers, floats or booleans (0/1), by member index.
    case numeric(FeatureSource.ColumnType, ContiguousArray<Double>)
    /// Text values by member index, as indexes into `dictionary`.
    case text(ContiguousArray<Int32>, dictionary: [String])

    /// An all-empty column for `spec` over `count` members.
    init(spec: FeatureSpec, count: Int) {
        if spec.resultType == .text {
            self = .text(ContiguousArray(repeating: -1, count: count), dictionary: [])
        } else {
            self = .numeric(spec.resultType, ContiguousArray(repeating: spec.emptyValue ?? .nan, count: count))
        }
    }

    /// The numeric value of member `index`, or `nil` (always `nil` for text).
    public func number(at index: Int) -> Double? {
        guard case .numeric(_, let values) = self else { return nil }
        let value = values[index]
        return value.isNaN ? nil : value
    }

    /// The text value of member `index`, or `nil`.
    public func text(at index: Int) -> String? {
        guard case .text(let codes, let dictionary) = self, codes[index] >= 0 else { return nil }
        return dictionary[Int(codes[index])]
    }
}
