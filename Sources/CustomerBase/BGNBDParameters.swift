/// The four parameters of the BG/NBD model (Fader, Hardie and Lee 2005,
/// "Counting Your Customers the Easy Way", Marketing Science 24(2)):
/// purchase rates λ ~ Gamma(r, α) across customers, and a dropout
/// probability after each purchase p ~ Beta(a, b).
public struct BGNBDParameters: Sendable, Hashable, Codable {
    /// Shape of the gamma distribution of purchase rates.
    public var r: Double
    /// Scale of the gamma distribution, in units of `unitDays` days.
    public var alpha: Double
    /// First shape parameter of the beta distribution of dropout probabilities.
    public var a: Double
    /// Second shape parameter of the beta distribution.
    public var b: Double
    /// The time unit `alpha` is expressed in, in days (7: weeks, as in the paper).
    public var unitDays: Double

    /// Creates a parameter set (`alpha` in units of `unitDays` days).
    public init(r: Double, alpha: Double, a: Double, b: Double, unitDays: Double = 7) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
        self.unitDays = unitDays
    }

    /// The same model with `alpha` expressed in another unit.
    public func inUnit(days: Double) -> BGNBDParameters {
        BGNBDParameters(r: r, alpha: alpha * unitDays / days, a: a, b: b, unitDays: days)
    }

    /// Whether every parameter is finite and positive.
    public var isValid: Bool {
        [r, alpha, a, b, unitDays].allSatisfy { $0.isFinite && $0 > 0 }
    }

    /// The parameters as (log r, log α, log a, log b): the space the fit searches.
    var logs: [Double] { [r, alpha, a, b].map { _log($0) } }

    /// Parameters from their logarithms.
    init(logs: [Double], unitDays: Double) {
        self.init(r: _exp(logs[0]), alpha: _exp(logs[1]), a: _exp(logs[2]), b: _exp(logs[3]), unitDays: unitDays)
    }
}
