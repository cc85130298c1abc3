import Foundation

/// A maximum-likelihood fit of the BG/NBD model to a cohort.
public struct BGNBDFit: Sendable, Codable {
    /// The fitted parameters.
    public var parameters: BGNBDParameters
    /// The maximized total log-likelihood.
    public var logLikelihood: Double
    /// Customers fitted.
    public var customers: Int
    /// Distinct histories the likelihood summed over.
    public var groups: Int
    /// Optimizer iterations.
    public var iterations: Int
    /// The largest gradient component (per customer, in log-parameters) at the optimum.
    public var gradientNorm: Double
    /// Wall time of the fit, in seconds.
    public var seconds: Double

    /// Why a fit failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// Fits the model to `cohort` by maximum likelihood: BFGS over the
    /// logarithms of (r, α, a, b), with the analytic gradient and a
    /// backtracking line search, until the gradient per customer is below
    /// `tolerance` (or no step improves the likelihood in double precision). Needs at least two customers and one repeat purchase.
    public static func fit(_ cohort: CustomerCohort, tolerance: Double = 1e-7, maxIterations: Int = 500) throws(Failure) -> BGNBDFit {
        let started = Date()
        guard cohort.count >= 2 else { throw Failure(description: "BG/NBD: at least 2 customers are needed (got \(cohort.count))") }
        guard cohort.maxRepeats > 0 else {
            throw Failure(description: "BG/NBD: no customer has a repeat purchase, so dropout cannot be estimated")
        }
        let n = Double(cohort.count)
        let unit = cohort.unitDays
        // The objective: minus the mean log-likelihood (well scaled at any cohort size).
        func objective(_ x: [Double], gradient: Bool) -> (Double, [Double]) {
            let (value, g) = BGNBDLikelihood.evaluate(BGNBDParameters(logs: x, unitDays: unit), cohort, gradient: gradient)
            return (value.isFinite ? -value / n : .infinity, g.map { -$0 / n })
        }
        // Start: r = a = b = 1 and α near a tenth of the mean observation.
        let meanObserved = cohort.meanObservedUnits
        var x = [0, _log(max(meanObserved / 10, 1e-3)), 0, 0]
        var (f, g) = objective(x, gradient: true)
        guard f.isFinite else { throw Failure(description: "BG/NBD: the likelihood is not finite at the starting point") }
        var h = identity(4)  // inverse Hessian estimate
        var iterations = 0
        while iterations < maxIterations, g.map(abs).max() ?? 0 > tolerance {
            iterations += 1
            var direction = multiply(h, g).map { -$0 }
            var slope = dot(direction, g)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                h = identity(4)
                direction = g.map { -$0 }
                slope = dot(direction, g)
            }
            // Backtracking (Armijo), with steps capped so exp() stays in range.
            var step = min(1, 2 / max(direction.map(abs).max() ?? 1, 1e-12))
            var next = x
            var accepted = false
            var fNext = Double.infinity
            for _ in 0..<40 {
                next = zip(x, direction).map { $0 + step * $1 }
                fNext = objective(next, gradient: false).0
                if fNext <= f + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step /= 2
            }
            // No step improves the likelihood: the optimum, to machine precision.
            guard accepted, fNext < f else { break }
            let gNext = objective(next, gradient: true).1
            let s = zip(next, x).map { $0 - $1 }
            let y = zip(gNext, g).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-300 { h = bfgsUpdate(h, s: s, y: y, sy: sy) }
            (x, f, g) = (next, fNext, gNext)
        }
        let parameters = BGNBDParameters(logs: x, unitDays: unit)
        guard parameters.isValid else { throw Failure(description: "BG/NBD: the fit diverged (\(parameters))") }
        return BGNBDFit(
            parameters: parameters, logLikelihood: -f * n, customers: cohort.count, groups: cohort.groups,
            iterations: iterations, gradientNorm: g.map(abs).max() ?? 0, seconds: Date().timeIntervalSince(started))
    }

    private static func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
    }

    private static func dot(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } }

    private static func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] { m.map { dot($0, v) } }

    /// H' = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (yᵀ s).
    private static func bfgsUpdate(_ h: [[Double]], s: [Double], y: [Double], sy: Double) -> [[Double]] {
        let rho = 1 / sy
        let hy = multiply(h, y)
        let yhy = dot(y, hy)
        var next = h
        for i in 0..<s.count {
            for j in 0..<s.count {
                next[i][j] += (1 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j])
            }
        }
        return next
    }
}

extension CustomerCohort {
    /// The mean observation time, in units of ``unitDays``.
    var meanObservedUnits: Double {
        var total = 0.0
        for (day, n) in oneTime { total += Double(day) * n }
        for (observed, n) in zip(repeatObserved, repeatCount) { total += Double(observed) * n }
        return count == 0 ? 0 : total / Double(count) / unitDays
    }
}
