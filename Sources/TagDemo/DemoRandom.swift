import Foundation

/// A small, fast, seeded pseudo-random generator (xoshiro256**, seeded with
/// SplitMix64) used by ``DemoGenerator``.
///
/// It is fully deterministic: the same seed always yields the same sequence
/// on every platform, which is what makes demo stores byte-identical for
/// identical options. It is not cryptographically secure.
struct DemoRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole state is derived from `seed`.
    init(seed: UInt64) {
        var sm = seed
        s0 = DemoRandom.splitMix(&sm)
        s1 = DemoRandom.splitMix(&sm)
        s2 = DemoRandom.splitMix(&sm)
        s3 = DemoRandom.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// Creates an independent stream for one item (`index`) of a seeded run,
    /// so member `n` gets the same data whatever happens before it.
    init(seed: UInt64, stream: UInt64) {
        self.init(seed: DemoRandom.mix(seed ^ DemoRandom.mix(stream &+ 0x632B_E59B_D9B4_E019)))
    }

    /// One SplitMix64 step.
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    /// The SplitMix64 finalizer: a bijection on `UInt64` with good avalanche.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = DemoRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = DemoRandom.rotl(s3, 45)
        return result
    }

    /// A uniform `Double` in `[0, 1)` (53 random bits).
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), by multiply-shift.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`.
    @inline(__always)
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform integer in `lo...hi`; returns `lo` when `hi <= lo`.
    @inline(__always)
    mutating func int64(_ lo: Int64, _ hi: Int64) -> Int64 {
        hi <= lo ? lo : lo + Int64(below(Int(hi - lo) + 1))
    }

    /// `true` with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A standard normal deviate (Box-Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = 1.0 - unit()  // (0, 1]
        let u2 = unit()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// A Poisson deviate with mean `lambda` (Knuth below 30, normal
    /// approximation above).
    mutating func poisson(_ lambda: Double) -> Int {
        if lambda <= 0 { return 0 }
        if lambda < 30 {
            let limit = exp(-lambda)
            var k = 0
            var p = unit()
            while p > limit {
                k += 1
                p *= unit()
            }
            return k
        }
        return max(0, Int((lambda + lambda.squareRoot() * normal()).rounded()))
    }
}
