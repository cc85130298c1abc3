import AsyncHTTPClient
import Foundation
import GRDB
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TagEngine

@testable import TagServer

/// A real `tagd serve` on a loopback port over a temporary store, with a
/// controllable clock, driven by a real HTTP client.
final class TestServer: Sendable {
    let server: TagServer
    let root: URL
    let port: Int
    let clock: NIOLockedValueBox<Date>
    let group: ServiceGroup
    let task: Task<Void, any Error>
    /// The process-wide client: it needs no shutdown, so a test that throws
    /// before ``stop()`` fails as a test instead of killing the test process
    /// (an `HTTPClient` released without `shutdown()` is a fatal error).
    let client = HTTPClient.shared
    /// Tokens by user: root (admin), alice (operator), bob and carol (approvers).
    let tokens: [String: String]

    var rules: URL { root.appendingPathComponent("rules") }
    var pool: DatabasePool { server.state.pool }

    /// Starts a server; `setup` may write rule files and data before it
    /// listens, `configure` change the configuration.
    static func start(
        root: URL? = nil, now: Date = Date(timeIntervalSince1970: 1_764_547_200), schedulerTick: Duration = .milliseconds(50),
        setup: (URL, DatabasePool) throws -> Void = { _, _ in },
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let fresh = root == nil
        let root = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("tagd-server-\(UUID().uuidString)")
        for dir in ["rules", "plugins"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        let clock = NIOLockedValueBox(now)
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, storePath: root.appendingPathComponent("store.sqlite").path,
            rulesDirectory: root.appendingPathComponent("rules"), pluginsDirectory: root.appendingPathComponent("plugins"),
            limits: .init(instructionsPerCall: 50_000_000, memoryBytes: 64 << 20),
            schedulerTick: schedulerTick, watchInterval: .milliseconds(50),
            exportsDirectory: root.appendingPathComponent("exports"),
            retryPolicy: RetryPolicy(base: 0.05, cap: 0.2, maxAttempts: 100, requestTimeout: .milliseconds(500)), deliveryInterval: .milliseconds(50),
            clock: { clock.withLockedValue { $0 } })
        configure(&configuration)
        let server = try TagServer(configuration: configuration)
        if fresh {
            let users = Users(pool: server.state.pool)
            try users.add(name: "root", role: .admin, actor: nil)
            try users.add(name: "alice", role: .operator, actor: "root")
            try users.add(name: "bob", role: .approver, actor: "root")
            try users.add(name: "carol", role: .approver, actor: "root")
        }
        var tokens: [String: String] = [:]
        for user in ["root", "alice", "bob", "carol"] { tokens[user] = try ApiTokens(pool: server.state.pool).create(for: user) }
        try setup(root.appendingPathComponent("rules"), server.state.pool)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return TestServer(server: server, root: root, port: port, clock: clock, group: group, task: task, tokens: tokens)
    }

    private init(
        server: TagServer, root: URL, port: Int, clock: NIOLockedValueBox<Date>, group: ServiceGroup,
        task: Task<Void, any Error>, tokens: [String: String]
    ) {
        self.server = server
        self.root = root
        self.port = port
        self.clock = clock
        self.group = group
        self.task = task
        self.tokens = tokens
    }

    /// Shuts the server down gracefully and waits for it.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    struct Reply {
        let status: Int
        let body: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    /// Sends a request as `user` (nil: no token; a string not in `tokens`:
    /// that string as the token), with a body of `contentType` (nil: no
    /// `Content-Type` header).
    func send(_ method: HTTPMethod, _ path: String, as user: String? = "root", body: String? = nil, contentType: String? = "application/json")
        async throws -> Reply
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let user { request.headers.add(name: "Authorization", value: "Bearer \(tokens[user] ?? user)") }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), body: String(buffer: buffer))
    }

    /// Polls `condition` until it holds or `seconds` pass.
    func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try condition()
    }

    func writeRule(_ file: String, _ source: String) throws {
        try source.write(to: rules.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    /// Syncs the rules directory and approves `name` as bob.
    func approve(_ name: String) throws {
        let files = try server.state.sync()
        _ = try TagRegistry(pool: pool).approve(name: name, actor: "bob", files: files)
    }
}
