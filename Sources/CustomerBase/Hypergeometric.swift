/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 <= z < 1, as the
/// BG/NBD expectations use it, by its defining series
/// Σ (a)ₖ (b)ₖ / ((c)ₖ k!) zᵏ, summed until a term no longer changes the sum.
public enum Hypergeometric {
    /// Why the series could not be summed.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the arguments.
        public let description: String
    }

    /// ₂F₁(a, b; c; z), for `c > 0` and `0 <= z < 1`.
    public static func f21(_ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int = 100_000) throws(Failure) -> Double {
        guard c > 0, z >= 0, z < 1, a.isFinite, b.isFinite else {
            throw Failure(description: "2F1(\(a), \(b); \(c); \(z)): needs c > 0 and 0 <= z < 1")
        }
        var term = 1.0
        var sum = 1.0
        var k = 0.0
        for _ in 0..<maxTerms {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            let next = sum + term
            if next == sum || term == 0 { return sum }
            guard next.isFinite else { break }
            sum = next
            k += 1
        }
        throw Failure(description: "2F1(\(a), \(b); \(c); \(z)): the series did not converge in \(maxTerms) terms")
    }
}
