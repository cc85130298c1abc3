/// The paper's validation: fit the model on a calibration period, then
/// compare the repeat purchases it predicts for a holdout period with what
/// the cohort actually did, period by period (a week by default).
///
/// Days are day numbers (for instance days since 1970-01-01, UTC). The
/// cohort is every customer whose first purchase falls before
/// `calibrationEnd`; purchases are counted once per day.
public struct HoldoutComparison: Sendable, Codable {
    /// One period of the holdout.
    public struct Period: Sendable, Codable {
        /// The period's first day, as a day number.
        public var start: Int
        /// Repeat purchase days the cohort actually made in the period.
        public var actual: Double
        /// Σ over customers of E[Y(t) | calibration history], differenced by period.
        public var conditional: Double
        /// Σ over customers of E[X(t)] from their first purchase, differenced by period.
        public var unconditional: Double
    }

    /// The calibration fit.
    public var fit: BGNBDFit
    /// The holdout, period by period.
    public var periods: [Period]
    /// Customers in the cohort.
    public var customers: Int
    /// Repeat purchase days the cohort made in the calibration period.
    public var calibrationActual: Double
    /// What the fitted model expects for the calibration period: Σ E[X(T)].
    public var calibrationPredicted: Double

    /// Total actual repeat purchases in the holdout.
    public var actualTotal: Double { periods.reduce(0) { $0 + $1.actual } }
    /// Total conditional prediction for the holdout.
    public var conditionalTotal: Double { periods.reduce(0) { $0 + $1.conditional } }
    /// Total unconditional prediction for the holdout.
    public var unconditionalTotal: Double { periods.reduce(0) { $0 + $1.unconditional } }

    /// Mean absolute error of the conditional prediction per period, as a
    /// share of the mean actual per period.
    public var conditionalPeriodError: Double { periodError(\.conditional) }
    /// The same for the unconditional prediction.
    public var unconditionalPeriodError: Double { periodError(\.unconditional) }

    private func periodError(_ predicted: KeyPath<Period, Double>) -> Double {
        let absolute = periods.reduce(0) { $0 + abs($1[keyPath: predicted] - $1.actual) }
        return actualTotal == 0 ? 0 : absolute / actualTotal
    }

    /// Fits on purchases before `calibrationEnd` and compares the holdout
    /// `calibrationEnd ..< holdoutEnd` in periods of `periodDays` (the last
    /// one may be shorter).
    ///
    /// - Parameter purchaseDays: each customer's purchase days (any order, repeats allowed).
    public init(
        purchaseDays: [[Int]], calibrationEnd: Int, holdoutEnd: Int, periodDays: Int = 7, unitDays: Double = 7
    ) throws {
        guard holdoutEnd > calibrationEnd, periodDays > 0 else {
            throw CustomerCohort.Invalid(description: "holdout: needs calibration end < holdout end and a positive period")
        }
        var histories: [PurchaseHistory] = []
        var firsts: [Int] = []
        let starts = Array(stride(from: calibrationEnd, to: holdoutEnd, by: periodDays))
        var actual = [Double](repeating: 0, count: starts.count)
        for days in purchaseDays {
            guard let history = PurchaseHistory(purchaseDays: days, end: calibrationEnd), let first = days.min() else { continue }
            histories.append(history)
            firsts.append(first)
            for day in Set(days) where day >= calibrationEnd && day < holdoutEnd {
                actual[(day - calibrationEnd) / periodDays] += 1
            }
        }
        let fit = try BGNBDFit.fit(try CustomerCohort(histories, unitDays: unitDays))
        let model = BGNBDModel(fit.parameters)
        let ends = starts.map { min($0 + periodDays, holdoutEnd) }
        // Conditional: customers sharing a calibration history share the prediction.
        var shared: [PurchaseHistory: Double] = [:]
        for h in histories { shared[h, default: 0] += 1 }
        var conditional = [Double](repeating: 0, count: starts.count)
        for (h, n) in shared {
            var before = 0.0
            for (i, end) in ends.enumerated() {
                let cumulative = try model.expectedPurchases(h, days: Double(end - calibrationEnd))
                conditional[i] += n * (cumulative - before)
                before = cumulative
            }
        }
        // Unconditional: customers sharing a first-purchase day share E[X(t)].
        var byFirst: [Int: Double] = [:]
        for first in firsts { byFirst[first, default: 0] += 1 }
        var unconditional = [Double](repeating: 0, count: starts.count)
        var calibrationPredicted = 0.0
        for (first, n) in byFirst {
            var before = try model.expectedRepeatPurchases(days: Double(calibrationEnd - first))
            calibrationPredicted += n * before
            for (i, end) in ends.enumerated() {
                let cumulative = try model.expectedRepeatPurchases(days: Double(end - first))
                unconditional[i] += n * (cumulative - before)
                before = cumulative
            }
        }
        self.fit = fit
        self.customers = histories.count
        self.calibrationActual = Double(histories.reduce(0) { $0 + $1.repeatPurchases })
        self.calibrationPredicted = calibrationPredicted
        self.periods = starts.indices.map {
            Period(start: starts[$0], actual: actual[$0], conditional: conditional[$0], unconditional: unconditional[$0])
        }
    }
}
