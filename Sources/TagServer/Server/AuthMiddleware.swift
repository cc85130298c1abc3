import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import TagEngine

/// Maps `Authorization: Bearer <token>` to a user for every `/v1` route.
///
/// A missing or unknown token gets 401 and is counted in the ``DenialLog``
/// (audited in batches); routes then check roles (403, counted the same way).
/// Token lookups are cached for two seconds, so a token revoked (or
/// expired) anywhere stops working on a running server within two seconds. The path it sees is already
/// normalised (``PathNormalizingResponder``), so `//v1/tags` is `/v1/tags`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = TagRequestContext
    let state: ServerState
    private let cache = NIOLockedValueBox([String: (user: User, until: Date)]())

    init(state: ServerState) { self.state = state }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let pattern = context.endpointPath.map { $0.hasPrefix("/") ? $0 : "/" + $0 } ?? "(no route)"
        context.route = "\(request.method) \(pattern)"
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            deny(context, reason: "no bearer token")
            throw APIError(status: .unauthorized, message: "missing bearer token (create one with tagd token create)")
        }
        let token = String(header.dropFirst("Bearer ".count))
        if let cached = cache.withLockedValue({ $0[token] }), cached.until > Date() {
            context.user = cached.user
        } else if let user = try await state.blocking({ try ApiTokens(pool: state.pool).user(for: token) }) {
            cache.withLockedValue { $0[token] = (user, Date().addingTimeInterval(2)) }
            context.user = user
        } else {
            deny(context, reason: "unknown, revoked or expired token")
            throw APIError(status: .unauthorized, message: "unknown, revoked or expired token (tagd token list shows yours)")
        }
        return try await next(request, context)
    }

    private func deny(_ context: Context, reason: String) {
        state.metrics.denied(status: 401)
        state.denials.record(actor: "anonymous", reason: reason, route: context.route, client: context.client)
    }
}

extension TagRequestContext {
    /// The user, who must have at least `role` (else 403, counted in the
    /// ``DenialLog``).
    func require(_ role: Role, for action: String, state: ServerState) async throws -> User {
        guard let user else { throw APIError(status: .unauthorized, message: "not authenticated") }
        guard user.role >= role else {
            state.metrics.denied(status: 403)
            let message = "user '\(user.name)' is \(user.role.rawValue); \(action) needs \(role.rawValue)"
            state.denials.record(actor: user.name, reason: message, route: route, client: client)
            throw APIError(status: .forbidden, message: message)
        }
        return user
    }
}
