import Foundation

/// What the workers record, shared between them and the progress printer.
final class LoadRecorder: @unchecked Sendable {
    private let lock = NSLock()
    /// Latencies of successful requests, milliseconds.
    private var latencies: [Double] = []
    /// Server-reported realtime seconds of successful ingests, milliseconds.
    private var realtimeMillis: [Double] = []
    /// When each successful request completed, seconds since the recorder was made.
    private var completions: [Double] = []
    private let origin = ContinuousClock.now
    private(set) var okRequests = 0
    private(set) var events = 0
    private(set) var inserted = 0
    private(set) var duplicates = 0
    private(set) var membersCreated = 0
    private(set) var responsesWithChanges = 0
    private(set) var changes = 0
    private(set) var realtimeErrors = 0
    private(set) var errors: [String: Int] = [:]

    init(expectedRequests: Int = 100_000) {
        latencies.reserveCapacity(expectedRequests)
        completions.reserveCapacity(expectedRequests)
    }

    /// A successful read.
    func read(milliseconds: Double) {
        let now = (ContinuousClock.now - origin).seconds
        lock.withLock {
            completions.append(now)
            latencies.append(milliseconds)
            okRequests += 1
        }
    }

    /// A successful ingest of `events` events.
    func ingest(milliseconds: Double, events: Int, reply: IngestReply?) {
        let now = (ContinuousClock.now - origin).seconds
        lock.withLock {
            completions.append(now)
            latencies.append(milliseconds)
            okRequests += 1
            self.events += events
            guard let reply else { return }
            inserted += reply.inserted
            duplicates += reply.duplicates
            membersCreated += reply.membersCreated
            if let realtime = reply.realtime {
                realtimeMillis.append(realtime.seconds * 1000)
                changes += realtime.changes.count
                if !realtime.changes.isEmpty { responsesWithChanges += 1 }
                realtimeErrors += realtime.errors.count
            }
        }
    }

    /// A failed request: `HTTP 503`, `transport: ...`.
    func error(_ key: String) {
        lock.withLock { errors[key, default: 0] += 1 }
    }

    /// Counters for the progress line.
    func snapshot() -> (ok: Int, events: Int, errors: Int, samples: Int) {
        lock.withLock { (okRequests, events, errors.values.reduce(0, +), latencies.count) }
    }

    /// Latencies recorded since index `from` (for per-second percentiles).
    func latencies(from: Int) -> [Double] {
        lock.withLock { from < latencies.count ? Array(latencies[from...]) : [] }
    }

    /// All samples, once the workers are done.
    func samples() -> (latencies: [Double], realtime: [Double]) {
        lock.withLock { (latencies, realtimeMillis) }
    }

    /// The longest time, in seconds, during which no request completed.
    func longestGap() -> Double {
        let times = lock.withLock { completions }.sorted()
        var gap = 0.0
        for (a, b) in zip(times, times.dropFirst()) { gap = max(gap, b - a) }
        return gap
    }
}

/// The parts of an ingest answer the load test looks at.
struct IngestReply: Decodable, Sendable {
    struct Realtime: Decodable, Sendable {
        struct Change: Decodable, Sendable {}
        var changes: [Change]
        var errors: [String]
        var seconds: Double
    }
    var received: Int
    var inserted: Int
    var duplicates: Int
    var membersCreated: Int
    var realtime: Realtime?
}
