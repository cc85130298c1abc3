import Hummingbird
import TagEngine

/// The request context: Hummingbird's core context plus the authenticated user.
public struct TagRequestContext: RequestContext {
    /// Hummingbird's core request storage: logger, endpoint path, parameters.
    public var coreContext: CoreRequestContextStorage
    /// The user the bearer token belongs to (set by ``AuthMiddleware``).
    public var user: User?
    /// The method and route pattern, `GET /v1/tags/{name}` (set by
    /// ``AuthMiddleware``; `GET (no route)` when nothing matched).
    public var route = ""
    /// The client's IP address, when the connection has one.
    public let client: String?
    /// The body limit: 16 MiB (a larger request gets 413). At about 150
    /// bytes per event that is some 100,000 events per request.
    public var maxUploadSize: Int { 16 << 20 }

    /// Creates the context of a request, with no user yet.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress
    }
}
