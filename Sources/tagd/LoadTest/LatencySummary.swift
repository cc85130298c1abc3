import Foundation

/// Exact percentiles of recorded latencies (all samples kept and sorted:
/// fine for the few million requests a load test makes).
struct LatencySummary: Codable, Sendable {
    var count: Int
    var mean: Double
    var min: Double
    var p50: Double
    var p90: Double
    var p99: Double
    var p999: Double
    var max: Double

    /// Summarises `samples` (any unit; the summary keeps it).
    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        guard !sorted.isEmpty else {
            mean = 0; min = 0; p50 = 0; p90 = 0; p99 = 0; p999 = 0; max = 0
            return
        }
        mean = sorted.reduce(0, +) / Double(sorted.count)
        min = sorted.first!
        max = sorted.last!
        p50 = Self.percentile(sorted, 0.50)
        p90 = Self.percentile(sorted, 0.90)
        p99 = Self.percentile(sorted, 0.99)
        p999 = Self.percentile(sorted, 0.999)
    }

    /// `samples` plus the requests a closed-loop worker did not send while it
    /// waited (HdrHistogram's `recordValueWithExpectedInterval`): each sample
    /// `L` longer than `interval` adds `L - interval`, `L - 2 interval`, ...
    /// Without this, a stall of seconds counts as one slow request per worker.
    static func correctedForCoordinatedOmission(_ samples: [Double], interval: Double) -> [Double] {
        guard interval > 0 else { return samples }
        var out = samples
        for sample in samples where sample > 2 * interval {
            var missing = sample - interval
            while missing > interval, out.count < 50_000_000 {
                out.append(missing)
                missing -= interval
            }
        }
        return out
    }

    /// Nearest-rank percentile of sorted samples.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }

    /// `p50 1.23  p90 2.34  p99 5.67  max 12.3` (milliseconds).
    var text: String {
        String(format: "p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms", p50, p90, p99, max)
    }
}
