import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A real HTTP server standing in for a campaign gateway. It applies each
/// `Idempotency-Key` once (the effect), and can be told to fail: it then
/// still applies the effect but answers 503, as when a response is lost.
final class WebhookReceiver: Sendable {
    struct State {
        var attempts: [String] = []
        var effects: [String: String] = [:]
        var failuresLeft = 0
    }

    let state: NIOLockedValueBox<State>
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/hook" }

    static func start(port: Int = 0, failFirst: Int = 0) async throws -> WebhookReceiver {
        let state = NIOLockedValueBox(State(failuresLeft: failFirst))
        let router = Router()
        router.post("hook") { request, context -> Response in
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? "-"
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let fail = state.withLockedValue { s -> Bool in
                s.attempts.append(key)
                if s.effects[key] == nil { s.effects[key] = body }
                if s.failuresLeft > 0 {
                    s.failuresLeft -= 1
                    return true
                }
                return false
            }
            return Response(status: fail ? .serviceUnavailable : .ok)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "receiver")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw CancellationError() }
        return WebhookReceiver(state: state, port: bound, group: group, task: task)
    }

    private init(state: NIOLockedValueBox<State>, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.state = state
        self.port = port
        self.group = group
        self.task = task
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
