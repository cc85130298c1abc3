extension PopulationStats {
    /// Numbers that decide every answer to `question` about `feature`: two
    /// populations with equal fingerprints answer every value alike. `nil`
    /// when the answers depend on more than a few numbers (`rank`,
    /// `percentile`, an `ntile` of a fractional count): such questions are
    /// always asked again.
    ///
    /// A comparison is decided by its threshold (none: no answer), a whole
    /// `ntile` by its tile boundaries: for each, whether no value lies
    /// below it, else the largest value below it.
    func fingerprint(
        _ question: PopQuestion, feature name: String, parameter: Double, derived: DerivedStatistics
    ) throws -> [Double]? {
        switch question {
        case .above, .below, .atLeast, .atMost:
            return try threshold(feature: name, parameter: parameter, derived: derived).map { [$0] } ?? []
        case .ntile:
            let count = try summary(name).count
            guard count > 0, parameter >= 1 else { return [] }
            guard let bounds = try tileBoundaries(name, count: count, tiles: parameter) else { return nil }
            return bounds.flatMap { $0.map { [0, $0] } ?? [1, 0] }
        case .rank, .percentile:
            return nil
        }
    }

    /// The fingerprint of every key that has one.
    func fingerprints(of keys: [PopRecording.Key], derived: DerivedStatistics) throws -> [PopRecording.Key: [Double]] {
        var result: [PopRecording.Key: [Double]] = [:]
        for key in keys {
            if let print = try fingerprint(key.question, feature: key.feature, parameter: key.parameter, derived: derived) {
                result[key] = print
            }
        }
        return result
    }
}
