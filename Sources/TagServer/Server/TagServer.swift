import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import TagCatalog

/// The tag rule server: the HTTP API, the scheduler and the rules watcher
/// over one store.
///
/// ## Topics
/// - ``init(configuration:)``
/// - ``application(onListening:)``
/// - ``run()``
public struct TagServer: Sendable {
    /// The shared state (store, engines, metrics).
    public let state: ServerState
    /// The web catalog, mounted at `/`.
    public let catalog: CatalogSite

    /// Opens the store named in `configuration`.
    public init(configuration: ServerConfiguration) throws {
        state = try ServerState(configuration: configuration)
        catalog = try CatalogSite(environment: state.catalogEnvironment)
    }

    /// The router with every route.
    public func router() -> Router<TagRequestContext> {
        let router = Router(context: TagRequestContext.self)
        router.add(middleware: ErrorMiddleware(metrics: state.metrics))
        router.add(middleware: AuthMiddleware(state: state))
        HealthRoutes(state: state).register(on: router)
        IngestRoutes(state: state).register(on: router)
        ReadRoutes(state: state).register(on: router)
        QueryRoutes(state: state).register(on: router)
        AdminRoutes(state: state).register(on: router)
        SegmentRoutes(state: state).register(on: router)
        RunRoutes(state: state).register(on: router)
        catalog.register(on: router)
        return router
    }

    /// The router behind a ``PathNormalizingResponder``: what the server answers with.
    public func responder() -> some HTTPResponder<TagRequestContext> {
        PathNormalizingResponder(inner: router().buildResponder())
    }

    /// HTTP/1.1 with the idle timeout (which also bounds how long a request
    /// head may take) and the body deadline of the configuration.
    var httpServer: HTTPServerBuilder {
        let configuration = state.configuration
        return .http1(
            configuration: .init(
                additionalChannelHandlers: [BodyDeadlineHandler(timeout: configuration.bodyTimeout)],
                idleTimeout: TimeAmount(configuration.idleTimeout)))
    }

    /// The application with the scheduler and the watcher as services;
    /// `onListening` gets the bound port.
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "tagd")
        logger.logLevel = .info
        return Application(
            responder: responder(), server: httpServer,
            configuration: .init(address: .hostname(state.configuration.host, port: state.configuration.port), serverName: "tagd"),
            // Services shut down in reverse order: the scheduler first, so an
            // in-flight run rolls back at once instead of waiting for the
            // watcher, which may itself be waiting for the run's write lock.
            services: [
                StoreMaintenance(state: state), OutboxService(state: state), RuleWatcher(state: state), TagScheduler(state: state),
            ],
            onServerRunning: { [catalog] channel in
                catalog.warmUp()
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully.
    public func run() async throws {
        try await application { port in
            Logger(label: "tagd").info("tagd serving on \(state.configuration.host):\(port)")
        }.runService()
    }
}
