import Foundation
import GRDB
import TagEngine

/// Browser sessions in the store (`web_sessions`): an API token is exchanged
/// for a random session id sent as a cookie; only the id's SHA-256 is kept.
///
/// A session ends at its expiry (at most ``CatalogEnvironment/sessionLifetime``,
/// never after its token's expiry), at sign-out, or as soon as its token is
/// revoked or its user disabled: every lookup joins the token and the user.
struct WebSessions: Sendable {
    /// The store.
    let pool: DatabasePool

    /// The cookie that carries the session id.
    static let cookieName = "tagd_session"

    /// A random 256-bit value in hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Exchanges `token` for a new session (audited as `web_sign_in`); `nil`
    /// when the token is unknown, revoked, expired, or its user disabled.
    func create(token: String, lifetime: Int64, now: Int64) throws -> (id: String, session: WebSession)? {
        guard let user = try ApiTokens(pool: pool).user(for: token, now: now) else { return nil }
        let tokenHash = Hashing.sha256Hex(token)
        let id = Self.randomToken()
        let csrf = Self.randomToken()
        let session = try pool.write { db -> WebSession in
            let tokenExpiry = try Int64.fetchOne(db, sql: "SELECT expires_at FROM api_tokens WHERE hash = ?", arguments: [tokenHash])
            let expires = min(now + lifetime, tokenExpiry ?? now + lifetime)
            // Sessions that ended more than a day ago are no longer worth telling apart from unknown ones.
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at < ?", arguments: [now - 86_400])
            try db.execute(
                sql: "INSERT INTO web_sessions(hash, user, token_hash, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [Hashing.sha256Hex(id), user.name, tokenHash, csrf, now, expires])
            try AuditLog.append(
                db, actor: user.name, action: "web_sign_in",
                detail: "session \(Hashing.sha256Hex(id).prefix(12)) with token \(tokenHash.prefix(12)) until \(expires)")
            return WebSession(user: user, csrf: csrf, expiresAt: expires)
        }
        return (id, session)
    }

    /// The session whose cookie value is `id`.
    func lookup(_ id: String?, now: Int64) throws -> SessionLookup {
        guard let id, !id.isEmpty else { return .none }
        return try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.user, s.csrf, s.expires_at, t.revoked, t.expires_at AS token_expires FROM web_sessions s
                LEFT JOIN api_tokens t ON t.hash = s.token_hash WHERE s.hash = ?
                """, arguments: [Hashing.sha256Hex(id)])
            else { return .none }
            let name: String = row["user"]
            if (row["expires_at"] as Int64) <= now { return .ended(user: name, why: "session expired") }
            if (row["revoked"] as Int64?) != 0 || (row["token_expires"] as Int64? ?? 0) <= now {
                return .ended(user: name, why: "the session's token was revoked or expired")
            }
            guard let user = try User.fetchOne(db, key: name), !user.disabled else {
                return .ended(user: name, why: "user '\(name)' is disabled")
            }
            return .valid(WebSession(user: user, csrf: row["csrf"], expiresAt: row["expires_at"]))
        }
    }

    /// Ends the session whose cookie value is `id` (sign-out).
    func end(_ id: String, actor: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE hash = ?", arguments: [Hashing.sha256Hex(id)])
            if db.changesCount > 0 {
                try AuditLog.append(db, actor: actor, action: "web_sign_out", detail: "session \(Hashing.sha256Hex(id).prefix(12))")
            }
        }
    }
}
