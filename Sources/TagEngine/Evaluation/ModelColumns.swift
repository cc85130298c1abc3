import CustomerBase

/// Fits the BG/NBD model of a rule's model features over its population
/// and predicts every member's values.
///
/// One fit per distinct purchase definition (source and `where`), over the
/// members the population keeps that have bought at least once; the others
/// get no value. When the model cannot be fitted (fewer than two buyers, no
/// repeat purchase at all), or its predictions cannot be computed (a fit
/// over data with almost no repeat buying can run off towards a boundary,
/// a + b near zero, where the hypergeometric series diverge), every
/// member's value is nil.
enum ModelColumns {
    /// The columns of `models`, in their order, for every member of `table`.
    static func compute(
        _ models: [(name: String, model: ModelFeature)], table: FeatureTable, included: [Bool]?, asOf: Int64
    ) throws -> [FeatureColumn] {
        var fitted: [[FeatureSpec]: BGNBDModel?] = [:]
        var columns: [FeatureColumn] = []
        for (_, feature) in models {
            var histories = [PurchaseHistory?](repeating: nil, count: table.count)
            for index in 0..<table.count where included?[index] ?? true {
                histories[index] = feature.history(at: index, in: table, asOf: asOf)
            }
            let key = feature.inputs
            if fitted[key] == nil {
                let cohort = try CustomerCohort(histories.lazy.compactMap { $0 })
                fitted[key] = (try? BGNBDFit.fit(cohort)).map { BGNBDModel($0.parameters) }
            }
            let values = (fitted[key] ?? nil).flatMap { model in
                try? predict(feature, model: model, histories: histories)
            }
            columns.append(.numeric(.real, values ?? ContiguousArray(repeating: .nan, count: table.count)))
        }
        return columns
    }

    /// Every member's prediction (NaN: none); throws when the model's
    /// predictions cannot be computed.
    private static func predict(
        _ feature: ModelFeature, model: BGNBDModel, histories: [PurchaseHistory?]
    ) throws -> ContiguousArray<Double> {
        var values = ContiguousArray<Double>(repeating: .nan, count: histories.count)
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
            case .expectedPurchases: value = try model.expectedPurchases(history, days: days)
            }
            cache[history] = value
            values[index] = value
        }
        return values
    }
}
