import CustomerBase

/// Fits the BG/NBD model of a rule's model features over its population
/// and predicts every member's values.
///
/// One fit per distinct purchase definition (source and `where`), over the
/// members the population keeps that have bought at least once; the others
/// get no value. When the model cannot be fitted (fewer than two buyers, or
/// no repeat purchase at all) every member's value is nil.
enum ModelColumns {
    /// The columns of `models`, in their order, for every member of `table`.
    static func compute(
        _ models: [(name: String, model: ModelFeature)], table: FeatureTable, included: [Bool]?, asOf: Int64
    ) throws -> [FeatureColumn] {
        var fitted: [[FeatureSpec]: BGNBDModel?] = [:]
        var columns: [FeatureColumn] = []
        for (name, feature) in models {
            var histories = [PurchaseHistory?](repeating: nil, count: table.count)
            for index in 0..<table.count where included?[index] ?? true {
                histories[index] = feature.history(at: index, in: table, asOf: asOf)
            }
            let key = feature.inputs
            if fitted[key] == nil {
                let cohort = try CustomerCohort(histories.lazy.compactMap { $0 })
                fitted[key] = (try? BGNBDFit.fit(cohort)).map { BGNBDModel($0.parameters) }
            }
            var values = ContiguousArray<Double>(repeating: .nan, count: table.count)
            if let model = fitted[key] ?? nil {
                let days = Double(feature.horizon ?? 0) / 86_400
                // Members sharing a history share the prediction (the 2F1 series is the costly part).
                var cache: [PurchaseHistory: Double] = [:]
                for (index, history) in histories.enumerated() {
                    guard let history else { continue }
                    if let known = cache[history] {
                        values[index] = known
                        continue
                    }
                    let value: Double
                    switch feature.output {
                    case .pAlive: value = model.probabilityAlive(history)
                    case .pPurchase: value = 1 - model.probabilityNoPurchase(history, days: days)
                    case .expectedPurchases:
                        do { value = try model.expectedPurchases(history, days: days) } catch {
                            throw RunError.store("feature '\(name)': \(error)")
                        }
                    }
                    cache[history] = value
                    values[index] = value
                }
            }
            columns.append(.numeric(.real, values))
        }
        return columns
    }
}
