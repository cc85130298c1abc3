extension PopRecording {
    /// The members of `table` that must be evaluated again because `pop`
    /// would answer them differently now (`stats`), besides `changed`
    /// (evaluated anyway); `nil` when a constant statistic the rule read
    /// moved, so that everyone must be.
    ///
    /// `previousIndex` maps an index of `table` to the index of the same
    /// member in the table this recording was made over; `aligned` says it
    /// is the identity (no member joined or left), so it is not called.
    ///
    /// - Parameter derived: the rule's derived statistics over `stats`.
    func moved(
        stats: PopulationStats, derived: DerivedStatistics = .init(), count: Int, changed: [Int], previousIndex: (Int) -> Int?,
        aligned: Bool = false
    ) throws -> [Int]? {
        for constant in constants where try stats.answer(constant.arguments) != constant.answer { return nil }
        var isChanged = [Bool](repeating: false, count: count)
        for index in changed { isChanged[index] = true }
        // A question decided by the same numbers as before answers everyone
        // as before: only the others are asked again.
        let same = try keys.map { key -> Bool in
            guard let was = fingerprints[key],
                let now = try stats.fingerprint(key.question, feature: key.feature, parameter: key.parameter, derived: derived)
            else { return false }
            return was.count == now.count && zip(was, now).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
        if same.allSatisfy({ $0 }) { return [] }
        // Each question's statistic is looked up once, not once per member.
        let answering = try keys.map { try stats.answering($0.question, feature: $0.feature, parameter: $0.parameter, derived: derived) }
        var moved: [Int] = []
        offsets.withUnsafeBufferPointer { offsets in
            keyIDs.withUnsafeBufferPointer { keyIDs in
                values.withUnsafeBufferPointer { values in
                    answers.withUnsafeBufferPointer { answers in
                        for index in 0..<count where !isChanged[index] {
                            guard let before = aligned ? index : previousIndex(index), before < self.count else { continue }
                            for entry in Int(offsets[before])..<Int(offsets[before + 1]) {
                                let key = Int(keyIDs[entry])
                                guard !same[key] else { continue }
                                let now = answering[key].answer(values[entry]) ?? .nan
                                let was = answers[entry]
                                if now != was && !(now.isNaN && was.isNaN) {
                                    moved.append(index)
                                    break
                                }
                            }
                        }
                    }
                }
            }
        }
        return moved
    }
}
