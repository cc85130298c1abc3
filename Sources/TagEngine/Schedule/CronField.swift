/// The set of values one cron field allows, as a bit set.
struct CronField: Sendable, Hashable {
    /// Bit `n` is set when value `n` is allowed.
    let bits: UInt64
    /// True when the field was written starting with `*` (`*` or `*/n`); classic
    /// cron then combines day-of-month and day-of-week with AND instead of OR.
    let isWildcard: Bool

    /// A field allowing exactly `values`.
    init(_ values: some Sequence<Int>, isWildcard: Bool = false) {
        self.bits = values.reduce(0) { $0 | (1 << UInt64($1)) }
        self.isWildcard = isWildcard
    }

    /// A field allowing every value of `kind`.
    static func all(_ kind: CronFieldKind) -> CronField {
        CronField(kind.range, isWildcard: true)
    }

    /// Whether `value` is allowed.
    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0
    }

    /// The allowed values, ascending.
    var values: [Int] {
        (0..<64).filter(contains)
    }

    /// The allowed values in compact list form (`1-5,7`), for messages.
    var summary: String {
        var parts: [String] = []
        var start: Int?
        var last = -2
        for value in values {
            if value == last + 1 { last = value; continue }
            if let start { parts.append(start == last ? "\(start)" : "\(start)-\(last)") }
            start = value
            last = value
        }
        if let start { parts.append(start == last ? "\(start)" : "\(start)-\(last)") }
        return parts.joined(separator: ",")
    }
}
