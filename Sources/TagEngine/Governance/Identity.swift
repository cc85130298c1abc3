import Foundation
import GRDB

/// Who is acting, established rather than claimed.
///
/// The CLI never believes `--as NAME` as written. The actor is:
/// 1. the user of the bearer token in `TAGD_TOKEN`, when set (verified
///    against the store: unknown, revoked and expired tokens are refused), or
/// 2. the tagd user mapped to the operating-system account running the
///    command (`tagd user add NAME --os-user LOGIN`; the first user is mapped
///    to whoever creates it).
///
/// `--as NAME`, when given, must name that same user: a mismatch is refused
/// and written to the audit log as a forged identity.
public struct Identity: Sendable {
    /// The store.
    public let pool: DatabasePool

    /// Creates the resolver over `pool`.
    public init(pool: DatabasePool) { self.pool = pool }

    /// The authenticated actor.
    ///
    /// - Parameters:
    ///   - claimed: the `--as` value, if any.
    ///   - token: the `TAGD_TOKEN` value, if any.
    ///   - osUser: the login name of the process's real user id.
    public func resolve(claimed: String?, token: String?, osUser: String) throws -> String {
        let actor: String
        let source: String
        if let token, !token.isEmpty {
            guard let user = try ApiTokens(pool: pool).user(for: token) else {
                try refuse(claimed ?? "anonymous", "TAGD_TOKEN is unknown, revoked or expired (or its user is disabled)")
            }
            actor = user.name
            source = "the token in TAGD_TOKEN"
        } else if let user = try Users(pool: pool).user(forOSUser: osUser) {
            guard !user.disabled else { try refuse(user.name, "user '\(user.name)' is disabled") }
            actor = user.name
            source = "OS user '\(osUser)'"
        } else {
            let users = try pool.read { db in try User.fetchCount(db) }
            if users == 0 { throw LifecycleError("no users exist yet: create one with tagd user add NAME --role admin") }
            try refuse(
                claimed ?? osUser,
                "OS user '\(osUser)' is not mapped to a tagd user: an admin maps it with "
                    + "`tagd user add NAME --role ROLE --os-user \(osUser)`, or set TAGD_TOKEN to a token of yours")
        }
        if let claimed, claimed != actor {
            try refuse(
                claimed,
                "--as \(claimed) does not match who you are: \(source) is tagd user '\(actor)' "
                    + "(to act as \(claimed), use their token in TAGD_TOKEN)")
        }
        return actor
    }

    /// Audits a refused identity and throws.
    private func refuse(_ actor: String, _ message: String) throws -> Never {
        _ = try pool.write { db in
            try AuditLog.append(db, actor: actor, action: "denied", reason: message, detail: "identity")
        }
        throw PermissionError(actor: actor, action: "identity", tag: nil, message: message)
    }

    /// The login name of the real user id running this process.
    public static var currentOSUser: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid\(getuid())"
    }
}
