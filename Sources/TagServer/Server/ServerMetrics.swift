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

    /// Creates the metrics.
    public init() {}

    /// Runs finished, by status and trigger.
    func run(status: String, trigger: String, seconds: Double, members: Int) {
        registry.makeCounter(name: "tagd_runs_total", labels: [("status", status), ("trigger", trigger)]).increment()
        registry.makeDurationHistogram(name: "tagd_run_duration_seconds", labels: [("trigger", trigger)], buckets: Self.runBuckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
        registry.makeCounter(name: "tagd_members_evaluated_total").increment(by: Int64(members))
        if status != "succeeded" { registry.makeCounter(name: "tagd_rule_errors_total").increment() }
    }

    /// Records ingested, by kind.
    func ingest(kind: String, records: Int, seconds: Double) {
        registry.makeCounter(name: "tagd_ingest_records_total", labels: [("kind", kind)]).increment(by: Int64(records))
        registry.makeDurationHistogram(name: "tagd_ingest_latency_seconds", labels: [("kind", kind)], buckets: Self.latencyBuckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
    }

    /// A realtime re-evaluation after an ingest.
    func realtime(seconds: Double, errors: Int) {
        registry.makeDurationHistogram(name: "tagd_realtime_latency_seconds", buckets: Self.latencyBuckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
        if errors > 0 { registry.makeCounter(name: "tagd_rule_errors_total").increment(by: Int64(errors)) }
    }

    /// How late the scheduler started a due run.
    func schedulerLag(seconds: Double) {
        registry.makeGauge(name: "tagd_scheduler_lag_seconds").set(seconds)
    }

    /// Outbox deliveries.
    func outbox(delivered: Int, failed: Int, dead: Int) {
        registry.makeCounter(name: "tagd_outbox_delivered_total").increment(by: Int64(delivered))
        registry.makeCounter(name: "tagd_outbox_failed_total").increment(by: Int64(failed))
        registry.makeCounter(name: "tagd_outbox_dead_total").increment(by: Int64(dead))
    }

    /// Requests refused for missing or bad credentials or roles.
    func denied(status: Int) {
        registry.makeCounter(name: "tagd_http_denied_total", labels: [("status", String(status))]).increment()
    }
}
