import Foundation

/// Draws customer histories from the BG/NBD process itself, seeded and
/// reproducible: purchase rate λ ~ Gamma(r, α), dropout probability
/// p ~ Beta(a, b), exponential gaps between purchases, dropout with
/// probability p after each repeat purchase. Used to check that a fit
/// recovers known parameters and to benchmark fitting at scale.
public struct BGNBDSimulator {
    /// The true parameters.
    public let parameters: BGNBDParameters
    private var state: UInt64

    /// A simulator of `parameters`, seeded with `seed`.
    public init(_ parameters: BGNBDParameters, seed: UInt64) {
        self.parameters = parameters
        self.state = seed
    }

    /// One customer's purchase days, the first on `firstDay`, observed until
    /// `end` (exclusive). Purchases are made in continuous time and counted
    /// once per day.
    public mutating func purchaseDays(firstDay: Int, end: Int) -> [Int] {
        let p = parameters
        let lambda = gamma(shape: p.r) / (p.alpha * p.unitDays)  // per day
        let x = gamma(shape: p.a)
        let dropout = x / (x + gamma(shape: p.b))
        var days = [firstDay]
        var t = Double(firstDay)
        while true {
            t += -log(1 - uniform()) / lambda
            guard t < Double(end) else { break }
            let day = Int(t.rounded(.down))
            if day != days[days.count - 1] { days.append(day) }
            if uniform() < dropout { break }
        }
        return days
    }

    /// One customer's history (see ``purchaseDays(firstDay:end:)``).
    public mutating func history(firstDay: Int, end: Int) -> PurchaseHistory {
        PurchaseHistory(purchaseDays: purchaseDays(firstDay: firstDay, end: end), end: end)
            ?? PurchaseHistory(repeatPurchases: 0, lastPurchaseDay: 0, observedDays: end - firstDay)
    }

    /// A uniform draw in [0, 1) (SplitMix64).
    public mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    private mutating func normal() -> Double {
        let u = max(uniform(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang (shapes below 1 boosted).
    private mutating func gamma(shape: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1) * pow(max(uniform(), 1e-300), 1 / shape) }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }
}
