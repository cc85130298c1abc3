import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `tagd loadtest`: a load generator against a running `tagd serve`.
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load-test a running tagd server: ingest throughput, realtime latency, read latency.",
        discussion: """
            Scenarios:
              ingest    POST /v1/events, --batch events (browse/cart/favourite, random members, ts = now) per request
              realtime  POST /v1/events, one cart event per request (the answer waits for realtime tags)
              read      GET /v1/members/{id} for random members
            Members are picked from M0000001...M<--members-from>, the external ids of demo and bench stores.
            Latency percentiles are exact (every sample kept). Progress once a second on stderr.
            """)

    @Option(help: "The server's base URL.") var url = "http://127.0.0.1:8080"
    @Option(help: "A bearer token (tagd token create --as USER).") var token: String
    @Option(name: .customLong("members-from"), help: "Pick members among M0000001...M<N>.") var membersFrom: Int
    @Option(help: "Seconds to run.") var duration = 10.0
    @Option(help: "Requests in flight (one connection each).") var concurrency = 8
    @Option(help: "ingest, realtime or read.") var scenario: LoadScenario = .ingest
    @Option(help: "Events per ingest request (ingest scenario).") var batch = 1
    @Option(help: "Per-request timeout, seconds.") var timeout = 60
    @Flag(help: "Print the figures as JSON on stdout.") var json = false
    @Flag(help: "No progress lines on stderr.") var quiet = false

    func validate() throws {
        guard membersFrom >= 1, membersFrom <= 9_999_999 else { throw ValidationError("--members-from must be 1...9999999") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard concurrency >= 1, concurrency <= 1024 else { throw ValidationError("--concurrency must be 1...1024") }
        guard batch >= 1, batch <= 100_000 else { throw ValidationError("--batch must be 1...100000") }
        guard URL(string: url)?.host != nil else { throw ValidationError("--url must look like http://127.0.0.1:8080") }
    }

    func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        configuration.timeout = .init(connect: .seconds(5))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let settings = LoadRunner.Settings(
            url: url.hasSuffix("/") ? String(url.dropLast()) : url, token: token, members: membersFrom,
            duration: duration, concurrency: concurrency, scenario: scenario, batch: batch, timeout: timeout,
            progress: !quiet)
        let report: LoadReport
        do {
            report = try await LoadRunner(settings: settings, client: client).run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        if json {
            try Console.json(report)
        } else {
            for line in report.lines { print(line) }
        }
    }
}
