extension CronField {
    /// Parses one cron field: `*`, `5`, `1,15`, `1-5`, `*/15`, `10-50/10`, `5/15`
    /// (5 to the maximum, every 15), and month or day names.
    init(parsing text: String, as kind: CronFieldKind) throws(ScheduleProblem) {
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            values.formUnion(try Self.values(of: String(item), in: text, as: kind))
        }
        if kind == .dayOfWeek, values.remove(7) != nil { values.insert(0) }
        self.init(values, isWildcard: text.hasPrefix("*"))
    }

    /// The values of one comma-separated item.
    private static func values(of item: String, in field: String, as kind: CronFieldKind) throws(ScheduleProblem) -> [Int] {
        guard !item.isEmpty else {
            throw ScheduleProblem("empty list element in \(kind.label) field \"\(field)\"")
        }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw ScheduleProblem("\"\(item)\" in the \(kind.label) field has more than one step (/)")
        }
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), value > 0 else {
                throw ScheduleProblem("step \"\(parts[1])\" in the \(kind.label) field \"\(item)\" must be a positive number")
            }
            step = value
        }
        let base = String(parts[0])
        let bounds: ClosedRange<Int>
        if base == "*" {
            bounds = kind.range
        } else if let dash = base.firstIndex(of: "-") {
            let low = try value(of: String(base[..<dash]), in: item, as: kind)
            var high = try value(of: String(base[base.index(after: dash)...]), in: item, as: kind)
            if kind == .dayOfWeek, high == 0, low > 0 { high = 7 }  // mon-sun
            guard low <= high else {
                throw ScheduleProblem("range \"\(base)\" in the \(kind.label) field runs backwards")
            }
            bounds = low...high
        } else {
            let low = try value(of: base, in: item, as: kind)
            bounds = low...(parts.count == 2 ? kind.range.upperBound : low)
        }
        return Array(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
    }

    /// One number or name, checked against the field's range.
    private static func value(of token: String, in item: String, as kind: CronFieldKind) throws(ScheduleProblem) -> Int {
        if let named = kind.value(named: token) { return named }
        guard let number = Int(token), token.allSatisfy(\.isASCII) else {
            let hint = switch kind {
            case .month: " (use 1-12 or jan..dec)"
            case .dayOfWeek: " (use 0-7 or sun..sat)"
            default: ""
            }
            throw ScheduleProblem("\"\(token)\" is not a valid \(kind.label) in \"\(item)\"\(hint)")
        }
        guard kind.range.contains(number) else {
            throw ScheduleProblem("\(kind.label) \(number) is out of range \(kind.range.lowerBound)-\(kind.range.upperBound)")
        }
        return number
    }
}
