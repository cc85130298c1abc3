import Foundation

/// The figures of one load test, printed as text or JSON.
struct LoadReport: Codable, Sendable {
    struct Realtime: Codable, Sendable {
        /// Successful ingests whose answer listed at least one realtime change.
        var responsesWithChanges: Int
        /// Realtime changes reported in all answers.
        var changes: Int
        /// Realtime rule errors reported in all answers.
        var errors: Int
        /// The server's own realtime evaluation time per request (`realtime.seconds`), ms.
        var serverMillis: LatencySummary
    }

    var scenario: LoadScenario
    var url: String
    var batch: Int
    var concurrency: Int
    var members: Int
    var durationRequested: Double
    var elapsed: Double
    var requests: Int
    var events: Int
    var inserted: Int
    var duplicates: Int
    var membersCreated: Int
    var requestsPerSecond: Double
    var eventsPerSecond: Double
    /// Latency of successful requests, ms.
    var latencyMillis: LatencySummary
    /// The same, corrected for coordinated omission with the median latency as
    /// the expected interval between one worker's requests.
    var latencyMillisCorrected: LatencySummary
    /// The longest time during which no request completed, seconds.
    var longestStallSeconds: Double
    /// Failed requests by cause (`HTTP 503`, `transport: ...`).
    var errors: [String: Int]
    var realtime: Realtime?
    /// The untimed first request (may include the server's first realtime full run).
    var firstRequestSeconds: Double
    /// `/proc/loadavg` 1-minute figure before and after.
    var loadAverageBefore: Double?
    var loadAverageAfter: Double?
    /// CPU the load generator itself used during the test (user + system).
    var clientCPUSeconds: Double

    init(
        settings: LoadRunner.Settings, recorder: LoadRecorder, elapsed: Double, firstRequestSeconds: Double,
        loadAverageBefore: Double?, loadAverageAfter: Double?, clientCPUSeconds: Double
    ) {
        let samples = recorder.samples()
        scenario = settings.scenario
        url = settings.url
        batch = settings.scenario == .ingest ? settings.batch : 1
        concurrency = settings.concurrency
        members = settings.members
        durationRequested = settings.duration
        self.elapsed = elapsed
        requests = recorder.okRequests
        events = recorder.events
        inserted = recorder.inserted
        duplicates = recorder.duplicates
        membersCreated = recorder.membersCreated
        requestsPerSecond = Double(requests) / max(elapsed, 1e-9)
        eventsPerSecond = Double(events) / max(elapsed, 1e-9)
        latencyMillis = LatencySummary(samples.latencies)
        latencyMillisCorrected = LatencySummary(
            LatencySummary.correctedForCoordinatedOmission(samples.latencies, interval: latencyMillis.p50))
        longestStallSeconds = recorder.longestGap()
        errors = recorder.errors
        if settings.scenario.isIngest {
            realtime = Realtime(
                responsesWithChanges: recorder.responsesWithChanges, changes: recorder.changes,
                errors: recorder.realtimeErrors, serverMillis: LatencySummary(samples.realtime))
        }
        self.firstRequestSeconds = firstRequestSeconds
        self.loadAverageBefore = loadAverageBefore
        self.loadAverageAfter = loadAverageAfter
        self.clientCPUSeconds = clientCPUSeconds
    }

    var errorText: String {
        errors.isEmpty ? "none" : errors.sorted { $0.value > $1.value }.map { "\($0.key): \(Console.count($0.value))" }.joined(separator: ", ")
    }

    /// Human-readable lines; the last one is the summary.
    var lines: [String] {
        let load = String(format: "load avg %@ -> %@", Self.format(loadAverageBefore), Self.format(loadAverageAfter))
        var out: [String] = []
        out.append(String(format: "first request (untimed): %.2f s", firstRequestSeconds))
        out.append("latency: " + latencyMillis.text + String(format: "  (p99.9 %.2f, mean %.2f ms)", latencyMillis.p999, latencyMillis.mean))
        out.append(
            "corrected for coordinated omission: " + latencyMillisCorrected.text
                + String(format: "; longest time with no completion %.2f s", longestStallSeconds))
        if let realtime {
            out.append(
                "realtime: " + Console.count(realtime.responsesWithChanges) + " of " + Console.count(requests)
                    + " responses reported changes (" + Console.count(realtime.changes) + " changes, "
                    + Console.count(realtime.errors) + " rule errors); server realtime time " + realtime.serverMillis.text)
        }
        if scenario.isIngest {
            out.append("stored: \(Console.count(inserted)) inserted, \(Console.count(duplicates)) duplicates, \(Console.count(membersCreated)) members created")
        }
        out.append(String(format: "client CPU: %.1f s over %.1f s (%.0f %% of one core); %@", clientCPUSeconds, elapsed,
                          100 * clientCPUSeconds / max(elapsed, 1e-9), load))
        var summary = "loadtest \(scenario.rawValue)"
        if scenario == .ingest { summary += " batch \(batch)" }
        summary += String(format: " c=%d %.1fs: ", concurrency, elapsed)
        if scenario.isIngest { summary += Console.count(Int(eventsPerSecond)) + " events/s, " }
        summary += Console.count(Int(requestsPerSecond)) + " req/s, "
        summary += String(format: "p50 %.2f p90 %.2f p99 %.2f max %.2f ms (CO-corrected p99 %.2f), ",
                          latencyMillis.p50, latencyMillis.p90, latencyMillis.p99, latencyMillis.max, latencyMillisCorrected.p99)
        if let realtime, scenario == .realtime { summary += "\(Console.count(realtime.responsesWithChanges)) with changes, " }
        summary += "errors: " + errorText
        out.append(summary)
        return out
    }

    static func format(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "?" }

    /// The 1-minute load average (Linux `/proc/loadavg`, else `getloadavg`).
    static func loadAverage() -> Double? {
        var values = [Double](repeating: 0, count: 3)
        return getloadavg(&values, 3) > 0 ? values[0] : nil
    }

    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
