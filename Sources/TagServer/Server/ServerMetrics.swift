import Prometheus

/// The Prometheus metrics `GET /metrics` exposes.
public final class ServerMetrics: Sendable {
    /// The registry they live in.
    public let registry = PrometheusCollectorRegistry()

    private static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5),
    ]
    private static let runBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(100), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300),
    ]

    private static let expiryBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
    ]

    /// Creates the metrics.
    public init() {}

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tagd", metricName: metric, unitName: unit, helpText: help)
    }

    private func counter(_ metric: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(descriptor: Self.name(metric, "total", help), labels: labels)
    }

    private func histogram(_ metric: String, _ help: String, _ labels: [(String, String)], _ buckets: [Duration]) -> DurationHistogram {
        registry.makeDurationHistogram(descriptor: Self.name(metric, "seconds", help), labels: labels, buckets: buckets)
    }

    /// A finished run, by status and trigger, with its kind (full or
    /// incremental) and the members it evaluated, by reason.
    func run(status: String, trigger: String, seconds: Double, members: Int, kind: String? = nil, reasons: [String: Int] = [:]) {
        counter("runs", "Rule runs by outcome and trigger", [("status", status), ("trigger", trigger)]).increment()
        histogram("run_duration", "Wall time of rule runs", [("trigger", trigger)], Self.runBuckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
        counter("members_evaluated", "Members evaluated by rule runs").increment(by: Int64(members))
        if let kind { counter("runs_by_kind", "Rule runs by kind: full or incremental", [("kind", kind)]).increment() }
        for (reason, count) in reasons where count > 0 {
            counter("run_members", "Members re-computed or re-evaluated by runs, by reason", [("reason", reason)])
                .increment(by: Int64(count))
        }
        if status != "succeeded" { counter("rule_errors", "Rule runs and realtime evaluations that failed").increment() }
    }

    /// Records ingested, by kind.
    func ingest(kind: String, records: Int, seconds: Double) {
        counter("ingest_records", "Records ingested over HTTP", [("kind", kind)]).increment(by: Int64(records))
        histogram("ingest_latency", "Time to validate and store one ingest request", [("kind", kind)], Self.latencyBuckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
    }

    /// A realtime re-evaluation after an ingest.
    func realtime(seconds: Double, errors: Int) {
        histogram("realtime_latency", "Time to re-evaluate realtime tags after an ingest", [], Self.latencyBuckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
        if errors > 0 { counter("rule_errors", "Rule runs and realtime evaluations that failed").increment(by: Int64(errors)) }
    }

    /// A realtime expiry pass: members re-evaluated, and per changed value the
    /// seconds between its window lapsing and the change.
    func expiry(members: Int, lags: [Double], errors: Int) {
        counter("realtime_expiry_members", "Members re-evaluated by realtime expiry").increment(by: Int64(members))
        let histogram = histogram(
            "realtime_expiry_lag", "Time between a realtime window lapsing and the value changing", [], Self.expiryBuckets)
        for lag in lags { histogram.record(.nanoseconds(Int64(max(0, lag) * 1e9))) }
        if errors > 0 { counter("rule_errors", "Rule runs and realtime evaluations that failed").increment(by: Int64(errors)) }
    }

    /// How late the scheduler started a due run.
    func schedulerLag(seconds: Double) {
        registry.makeGauge(descriptor: Self.name("scheduler_lag", "seconds", "How late the last due run started"))
            .set(seconds)
    }

    /// Outbox deliveries.
    func outbox(delivered: Int, failed: Int, dead: Int) {
        counter("outbox_delivered", "Reach messages delivered").increment(by: Int64(delivered))
        counter("outbox_failed", "Reach deliveries that failed and will be retried").increment(by: Int64(failed))
        counter("outbox_dead", "Reach messages given up after the last retry").increment(by: Int64(dead))
    }

    /// Requests refused for missing or bad credentials or roles.
    func denied(status: Int) {
        counter("http_denied", "Requests refused with 401 or 403", [("status", String(status))]).increment()
    }
}
