/// Predictions of a fitted BG/NBD model for customers' futures. Times are in
/// days; the parameters carry their own unit.
public struct BGNBDModel: Sendable {
    /// The parameters.
    public let parameters: BGNBDParameters

    /// A model with the given parameters.
    public init(_ parameters: BGNBDParameters) { self.parameters = parameters }

    /// (r, α, a, b) with α converted to days, and `a` moved off the removable
    /// singularity at 1 of the expectation formulas.
    private var perDay: (r: Double, alpha: Double, a: Double, b: Double) {
        let p = parameters
        return (p.r, p.alpha * p.unitDays, abs(p.a - 1) < 1e-9 ? 1 + 1e-9 : p.a, p.b)
    }

    /// P(alive | x, t_x, T): the probability the customer has not dropped out
    /// (equation 12 of the paper). 1 for a customer without repeat purchase:
    /// in this model dropout happens only right after a purchase.
    public func probabilityAlive(_ h: PurchaseHistory) -> Double {
        guard h.repeatPurchases > 0 else { return 1 }
        let (r, alpha, a, b) = perDay
        let x = Double(h.repeatPurchases)
        let ratio = (r + x) * (_log(alpha + Double(h.observedDays)) - _log(alpha + Double(h.lastPurchaseDay)))
        return 1 / (1 + a / (b + x - 1) * _exp(ratio))
    }

    /// P(no purchase in the next `days` | x, t_x, T): a customer who dropped
    /// out never buys; one still alive, with purchase rate distributed
    /// Gamma(r + x, α + T) given the history, makes no purchase with
    /// probability ((α + T) / (α + T + t))^(r + x) (no dropout can happen
    /// without a purchase).
    public func probabilityNoPurchase(_ h: PurchaseHistory, days: Double) -> Double {
        let (r, alpha, _, _) = perDay
        let alive = probabilityAlive(h)
        let span = alpha + Double(h.observedDays)
        return (1 - alive) + alive * _exp((r + Double(h.repeatPurchases)) * _log(span / (span + days)))
    }

    /// E[Y(t) | x, t_x, T]: the expected number of purchase days in the next
    /// `days` (equation 10 of the paper):
    ///
    ///     (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive)
    public func expectedPurchases(_ h: PurchaseHistory, days: Double) throws(Hypergeometric.Failure) -> Double {
        guard days > 0 else { return 0 }
        let (r, alpha, a, b) = perDay
        let x = Double(h.repeatPurchases)
        let span = alpha + Double(h.observedDays)
        let z = days / (span + days)
        let f = try Hypergeometric.f21(r + x, b + x, a + b + x - 1, z)
        let bracket = 1 - _exp((r + x) * _log(span / (span + days)) + _log(f))
        return (a + b + x - 1) / (a - 1) * bracket * probabilityAlive(h)
    }

    /// E[X(t)]: the expected number of repeat purchase days in the first
    /// `days` after a customer's first purchase (equation 9 of the paper):
    ///
    ///     (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]
    public func expectedRepeatPurchases(days: Double) throws(Hypergeometric.Failure) -> Double {
        guard days > 0 else { return 0 }
        let (r, alpha, a, b) = perDay
        let z = days / (alpha + days)
        let f = try Hypergeometric.f21(r, b, a + b - 1, z)
        return (a + b - 1) / (a - 1) * (1 - _exp(r * _log(alpha / (alpha + days)) + _log(f)))
    }
}
