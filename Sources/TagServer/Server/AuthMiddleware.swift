import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import TagEngine

/// Maps `Authorization: Bearer <token>` to a user for every `/v1` route.
///
/// A missing or unknown token gets 401 and an audit entry; routes then check
/// roles (403). Token lookups are cached for ten seconds.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = TagRequestContext
    let state: ServerState
    private let cache = NIOLockedValueBox([String: (user: User, until: Date)]())

    init(state: ServerState) { self.state = state }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            try await deny(request, actor: "anonymous", reason: "no bearer token")
            throw APIError(status: .unauthorized, message: "missing bearer token (create one with tagd token create --as USER)")
        }
        let token = String(header.dropFirst("Bearer ".count))
        var context = context
        if let cached = cache.withLockedValue({ $0[token] }), cached.until > Date() {
            context.user = cached.user
        } else if let user = try await state.blocking({ try ApiTokens(pool: state.pool).user(for: token) }) {
            cache.withLockedValue { $0[token] = (user, Date().addingTimeInterval(10)) }
            context.user = user
        } else {
            try await deny(request, actor: "anonymous", reason: "unknown or revoked token")
            throw APIError(status: .unauthorized, message: "unknown or revoked token")
        }
        return try await next(request, context)
    }

    private func deny(_ request: Request, actor: String, reason: String) async throws {
        state.metrics.denied(status: 401)
        let detail = "\(request.method) \(request.uri.path)"
        _ = try await state.blocking {
            try state.pool.write { db in try AuditLog.append(db, actor: actor, action: "denied", reason: reason, detail: detail) }
        }
    }
}

extension TagRequestContext {
    /// The user, who must have at least `role` (else 403, audited).
    func require(_ role: Role, for action: String, state: ServerState) async throws -> User {
        guard let user else { throw APIError(status: .unauthorized, message: "not authenticated") }
        guard user.role >= role else {
            state.metrics.denied(status: 403)
            let message = "user '\(user.name)' is \(user.role.rawValue); \(action) needs \(role.rawValue)"
            _ = try await state.blocking {
                try state.pool.write { db in
                    try AuditLog.append(db, actor: user.name, action: "denied", reason: message, detail: action)
                }
            }
            throw APIError(status: .forbidden, message: message)
        }
        return user
    }
}
