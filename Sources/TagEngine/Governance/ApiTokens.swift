import Foundation
import GRDB

/// Bearer tokens for the HTTP API and the CLI (`TAGD_TOKEN`), each mapped to
/// a user (and so a role).
///
/// Only a token's SHA-256 is stored; the token itself is shown once. Every
/// token expires (90 days by default, at most 400) and can be revoked by its
/// user or an admin; a revoked or expired token, or one of a disabled user,
/// authenticates nobody.
public struct ApiTokens: Sendable {
    /// The store.
    public let pool: DatabasePool

    /// The default lifetime of a token: 90 days.
    public static let defaultLifetime: Int64 = 90 * 86_400
    /// The longest lifetime a token may have: 400 days.
    public static let maximumLifetime: Int64 = 400 * 86_400

    /// The columns of a listed token.
    private static let listing =
        "SELECT hash, user, label, created_at, expires_at, last_used_at, revoked, revoked_at, revoked_by FROM api_tokens"

    /// Creates the token table's front.
    public init(pool: DatabasePool) { self.pool = pool }

    /// Creates a token for `user` (who must exist and be enabled), valid for
    /// `lifetime` seconds, and returns it.
    public func create(
        for user: String, label: String? = nil, lifetime: Int64 = ApiTokens.defaultLifetime,
        now: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws -> String {
        guard lifetime > 0, lifetime <= Self.maximumLifetime else {
            throw LifecycleError("a token lives between 1 second and 400 days (asked: \(lifetime) s)")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &generator) }
        let token = "tagd_" + bytes.map { String(format: "%02x", $0) }.joined()
        let hash = Hashing.sha256Hex(token)
        try pool.write { db in
            try Users.authorize(user, needs: .operator, action: "token_create", tag: nil, in: db)
            try db.execute(
                sql: "INSERT INTO api_tokens(hash, user, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [hash, user, label, now, now + lifetime])
            try AuditLog.append(
                db, actor: user, action: "token_create", detail: "token \(ApiToken.id(ofHash: hash)) \(label ?? "")")
        }
        return token
    }

    /// The enabled user a token belongs to, or `nil` for an unknown, revoked,
    /// expired or disabled one.
    public func user(for token: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> User? {
        try pool.read { db in
            try User.fetchOne(db, sql: """
                SELECT u.* FROM api_tokens t JOIN users u ON u.name = t.user
                WHERE t.hash = ? AND t.revoked = 0 AND u.disabled = 0 AND coalesce(t.expires_at, 0) > ?
                """, arguments: [Hashing.sha256Hex(token), now])
        }
    }

    /// Every token (of `user` only, when given), newest first.
    public func list(user: String? = nil) throws -> [ApiToken] {
        try pool.read { db in
            try ApiToken.fetchAll(
                db,
                sql: "\(Self.listing) WHERE ?1 IS NULL OR user = ?1 ORDER BY created_at DESC, hash", arguments: [user])
        }
    }

    /// Revokes the token whose id (see ``ApiToken/id``) is `id`. Its user may
    /// revoke it; anyone else must be an admin.
    @discardableResult
    public func revoke(id: String, actor: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> ApiToken {
        try pool.write { db in
            let matches = try ApiToken.fetchAll(
                db,
                sql: "\(Self.listing) WHERE substr(hash, 1, 12) = ?", arguments: [id])
            guard matches.count == 1, let token = matches.first else {
                throw LifecycleError("no token with id \(id) (see tagd token list)")
            }
            let user = try Users.authorize(actor, needs: .operator, action: "token_revoke", tag: nil, in: db)
            if token.user != actor, user.role < .admin {
                throw PermissionError(
                    actor: actor, action: "token_revoke", tag: nil,
                    message: "token \(id) belongs to \(token.user); only they or an admin may revoke it")
            }
            guard !token.revoked else { throw LifecycleError("token \(id) is already revoked") }
            try db.execute(
                sql: "UPDATE api_tokens SET revoked = 1, revoked_at = ?, revoked_by = ? WHERE hash = ?",
                arguments: [now, actor, token.hash])
            try AuditLog.append(db, actor: actor, action: "token_revoke", detail: "token \(id) of \(token.user)")
            return token
        }
    }
}
