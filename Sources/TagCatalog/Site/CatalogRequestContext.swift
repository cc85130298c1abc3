import Hummingbird

/// A request context the catalog can serve: Hummingbird's, plus the client's
/// address (for the audit of refusals).
public protocol CatalogRequestContext: RequestContext {
    /// The client's IP address, when the connection has one.
    var client: String? { get }
}
