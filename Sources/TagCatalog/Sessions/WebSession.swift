import TagEngine

/// A signed-in browser: the user, the session's CSRF token and its expiry.
struct WebSession: Sendable {
    /// The user the session acts as (role as of this request).
    var user: User
    /// The token every form of this session must send back.
    var csrf: String
    /// When the session ends (epoch seconds UTC).
    var expiresAt: Int64
}

/// What a session cookie turned out to be.
enum SessionLookup: Sendable {
    /// A live session.
    case valid(WebSession)
    /// A session that expired, or whose token was revoked or user disabled.
    case ended(user: String, why: String)
    /// No session cookie, or one the store does not know.
    case none
}
