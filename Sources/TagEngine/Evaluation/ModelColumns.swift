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
    /// The columns of `models`, in their order, for every member of `table`
    /// (or only those at `only`: the others' values are left NaN), and the
    /// fits they were predicted with.
    ///
    /// - Parameter fits: parameters to predict with instead of fitting
    ///   (a fresh stored fit, ``ModelFits``); `nil` fits over the population.
    /// - Returns: `nil` when the stored fits cannot predict one of the members
    ///   at `only` (a series that diverges for a new history): the caller
    ///   then predicts everyone, as a full run with those fits would.
    static func compute(
        _ models: [(name: String, model: ModelFeature)], table: FeatureTable, included: [Bool]?, asOf: Int64,
        fits: ModelFits? = nil, only: [Int]? = nil
    ) throws -> (columns: [FeatureColumn], fits: ModelFits)? {
        // Fits made for other models (another version) are not used.
        let fits = fits.flatMap { fits in
            models.allSatisfy { fits.parameters.keys.contains(ModelFits.key($0.model.inputs)) } ? fits : nil
        }
        var used = fits ?? ModelFits(asOf: asOf, parameters: [:])
        var columns: [FeatureColumn] = []
        // A fit needs everyone's history; a prediction only the members asked for.
        let scope = (fits == nil ? nil : only) ?? Array(0..<table.count)
        for (_, feature) in models {
            let key = ModelFits.key(feature.inputs)
            var histories = [PurchaseHistory?](repeating: nil, count: table.count)
            for index in scope where included?[index] ?? true {
                histories[index] = feature.history(at: index, in: table, asOf: asOf)
            }
            if used.parameters[key] == nil {
                let cohort = try CustomerCohort(histories.lazy.compactMap { $0 })
                used.parameters[key] = .some((try? BGNBDFit.fit(cohort))?.parameters)
            }
            var values: ContiguousArray<Double>?
            if case .some(.some(let parameters)) = used.parameters[key] {
                do {
                    values = try predict(feature, model: BGNBDModel(parameters), histories: histories)
                } catch {
                    if fits != nil, only != nil { return nil }
                }
            }
            columns.append(.numeric(.real, values ?? ContiguousArray(repeating: .nan, count: table.count)))
        }
        return (columns, used)
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
