import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Drives one scenario against a running `tagd serve` with `concurrency`
/// workers sharing one `HTTPClient`, each with one request in flight.
struct LoadRunner: Sendable {
    struct Settings: Sendable {
        var url: String
        var token: String
        var members: Int
        var duration: Double
        var concurrency: Int
        var scenario: LoadScenario
        var batch: Int
        var timeout: Int
        var progress: Bool
    }

    let settings: Settings
    let client: HTTPClient

    /// Checks `/healthz`, sends one untimed request (the first ingest of a
    /// server may run the realtime tags in full), then runs the scenario.
    func run() async throws -> LoadReport {
        try await checkHealth()
        let runID = String(UInt32(truncatingIfNeeded: Date().timeIntervalSince1970.bitPattern ^ UInt64(getpid())), radix: 36)
        let firstStarted = ContinuousClock.now
        var warm = LoadRequestFactory(scenario: settings.scenario, batch: 1, members: settings.members, runID: runID, worker: 9999)
        let warmRecorder = LoadRecorder(expectedRequests: 1)
        await send(&warm, recorder: warmRecorder, timeout: .seconds(Int64(max(settings.timeout, 900))))
        let firstSeconds = (ContinuousClock.now - firstStarted).seconds
        if let (key, _) = warmRecorder.errors.first {
            throw CLIError("the first request failed (\(key)); is --token right, and do members M0000001...\(LoadRequestFactory.memberID(settings.members)) exist?")
        }

        let recorder = LoadRecorder(expectedRequests: 200_000)
        let loadBefore = LoadReport.loadAverage()
        let cpuBefore = LoadReport.cpuSeconds()
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int64(settings.duration * 1000))
        let finished = try await withThrowingTaskGroup(of: Void.self) { group -> ContinuousClock.Instant in
            for worker in 0..<settings.concurrency {
                group.addTask {
                    var factory = LoadRequestFactory(
                        scenario: settings.scenario, batch: settings.batch, members: settings.members, runID: runID, worker: worker)
                    while ContinuousClock.now < deadline {
                        await send(&factory, recorder: recorder, timeout: .seconds(Int64(settings.timeout)))
                    }
                }
            }
            let progress = Task { await printProgress(recorder, started: started, deadline: deadline) }
            try await group.waitForAll()
            progress.cancel()
            return ContinuousClock.now
        }
        let elapsed = (finished - started).seconds
        return LoadReport(
            settings: settings, recorder: recorder, elapsed: elapsed, firstRequestSeconds: firstSeconds,
            loadAverageBefore: loadBefore, loadAverageAfter: LoadReport.loadAverage(),
            clientCPUSeconds: LoadReport.cpuSeconds() - cpuBefore)
    }

    private func checkHealth() async throws {
        var request = HTTPClientRequest(url: settings.url + "/healthz")
        request.method = .GET
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { throw CLIError("GET \(settings.url)/healthz answered \(response.status.code)") }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("no tagd server at \(settings.url) (\(error)); start one with tagd serve --store S --port P")
        }
    }

    /// Sends one request and records its outcome.
    private func send(_ factory: inout LoadRequestFactory, recorder: LoadRecorder, timeout: TimeAmount) async {
        var request: HTTPClientRequest
        var events = 0
        switch settings.scenario {
        case .read:
            request = HTTPClientRequest(url: settings.url + factory.readPath())
            request.method = .GET
        case .ingest, .realtime:
            request = HTTPClientRequest(url: settings.url + "/v1/events")
            request.method = .POST
            let body = factory.ingestBody()
            events = factory.batch
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        request.headers.add(name: "Authorization", value: "Bearer " + settings.token)
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 64 << 20)
            let millis = (ContinuousClock.now - started).seconds * 1000
            guard (200..<300).contains(response.status.code) else {
                recorder.error("HTTP \(response.status.code)")
                return
            }
            if settings.scenario == .read {
                recorder.read(milliseconds: millis)
            } else {
                let reply = try? JSONDecoder().decode(IngestReply.self, from: Data(body.readableBytesView))
                if reply == nil { recorder.error("unreadable ingest answer") }
                recorder.ingest(milliseconds: millis, events: events, reply: reply)
            }
        } catch {
            recorder.error("transport: \(String(describing: error).prefix(80))")
            try? await Task.sleep(for: .milliseconds(20))  // a dead server must not spin the loop
        }
    }

    /// One line a second on stderr: totals, last-second rates and percentiles.
    private func printProgress(_ recorder: LoadRecorder, started: ContinuousClock.Instant, deadline: ContinuousClock.Instant) async {
        guard settings.progress else { return }
        var last = recorder.snapshot()
        var lastTime = started
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { break }
            let now = ContinuousClock.now
            let current = recorder.snapshot()
            let window = max((now - lastTime).seconds, 1e-6)
            let recent = LatencySummary(recorder.latencies(from: last.samples))
            var line = String(format: "%5.1fs  %@ req/s", (now - started).seconds,
                              Console.count(Int(Double(current.ok - last.ok) / window)))
            if settings.scenario.isIngest {
                line += "  " + Console.count(Int(Double(current.events - last.events) / window)) + " events/s"
            }
            line += String(format: "  p50 %.2f p99 %.2f max %.2f ms", recent.p50, recent.p99, recent.max)
            line += "  total \(Console.count(current.ok)) ok, \(Console.count(current.errors)) errors"
            if now >= deadline { line += "  (draining)" }
            if Console.isTerminal { Console.progress(line) } else { Console.note(line) }
            last = current
            lastTime = now
        }
        if Console.isTerminal { Console.progress("", final: false) }
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
