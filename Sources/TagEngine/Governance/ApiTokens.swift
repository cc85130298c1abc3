import Foundation
import GRDB

/// Bearer tokens for the HTTP API, each mapped to a user (and so a role).
/// Only a token's SHA-256 is stored; the token itself is shown once.
public struct ApiTokens: Sendable {
    /// The store.
    public let pool: DatabasePool

    /// Creates the token table's front.
    public init(pool: DatabasePool) { self.pool = pool }

    /// Creates a token for `user` (who must exist and be enabled) and returns it.
    public func create(for user: String, label: String? = nil) throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &generator) }
        let token = "tagd_" + bytes.map { String(format: "%02x", $0) }.joined()
        try pool.write { db in
            try Users.authorize(user, needs: .operator, action: "token_create", tag: nil, in: db)
            try db.execute(
                sql: "INSERT INTO api_tokens(hash, user, label, created_at) VALUES (?, ?, ?, ?)",
                arguments: [SHA256.hex(token), user, label, Int64(Date().timeIntervalSince1970)])
            try AuditLog.append(db, actor: user, action: "token_create", detail: label)
        }
        return token
    }

    /// The enabled user a token belongs to, or `nil` for an unknown, revoked
    /// or disabled one.
    public func user(for token: String) throws -> User? {
        try pool.read { db in
            try User.fetchOne(db, sql: """
                SELECT u.* FROM api_tokens t JOIN users u ON u.name = t.user
                WHERE t.hash = ? AND t.revoked = 0 AND u.disabled = 0
                """, arguments: [SHA256.hex(token)])
        }
    }
}
