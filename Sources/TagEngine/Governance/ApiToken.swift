import GRDB

/// One API token as listed (never the secret itself).
public struct ApiToken: Codable, Sendable, FetchableRecord {
    /// SHA-256 of the token.
    let hash: String
    /// The user it acts as.
    public let user: String
    /// Where it is used.
    public let label: String?
    /// Created, epoch seconds.
    public let createdAt: Int64
    /// Expires, epoch seconds.
    public let expiresAt: Int64?
    /// Last seen by the server, epoch seconds.
    public let lastUsedAt: Int64?
    /// Whether it was revoked.
    public let revoked: Bool
    /// When it was revoked.
    public let revokedAt: Int64?
    /// Who revoked it.
    public let revokedBy: String?

    /// Reads snake_case columns.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The public id: the first 12 hex digits of the token's SHA-256.
    public var id: String { Self.id(ofHash: hash) }

    static func id(ofHash hash: String) -> String { String(hash.prefix(12)) }

    /// Whether it authenticates at `now`.
    public func isValid(at now: Int64) -> Bool { !revoked && (expiresAt ?? 0) > now }

    enum CodingKeys: String, CodingKey {
        case hash, user, label, createdAt, expiresAt, lastUsedAt, revoked, revokedAt, revokedBy
    }

    /// Encodes the public fields, with `id` in place of the hash.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: PublicKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(user, forKey: .user)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(expiresAt, forKey: .expiresAt)
        try c.encodeIfPresent(lastUsedAt, forKey: .lastUsedAt)
        try c.encode(revoked, forKey: .revoked)
        try c.encodeIfPresent(revokedAt, forKey: .revokedAt)
        try c.encodeIfPresent(revokedBy, forKey: .revokedBy)
    }

    private enum PublicKeys: String, CodingKey {
        case id, user, label, createdAt = "created_at", expiresAt = "expires_at", lastUsedAt = "last_used_at", revoked,
            revokedAt = "revoked_at", revokedBy = "revoked_by"
    }
}
