import Foundation
import GRDB

/// The user directory and the permission check every lifecycle action goes through.
///
/// The first user can be added by anyone (bootstrap); after that only an
/// admin manages users. A denied attempt is itself written to the audit log.
///
/// ## Topics
/// - ``authorize(_:needs:action:tag:in:)``
/// - ``add(name:role:actor:)``
public struct Users: Sendable {
    /// The store.
    public let pool: DatabasePool

    /// Creates the directory over `pool`.
    public init(pool: DatabasePool) { self.pool = pool }

    /// Every user, by name.
    public func all() throws -> [User] {
        try pool.read { db in try User.order(Column("name")).fetchAll(db) }
    }

    /// Adds a user (or changes the role of an existing one).
    ///
    /// - Parameter osUser: the operating-system account the user acts from
    ///   with the local CLI (`nil` keeps an existing user's mapping; a new
    ///   user without one acts only with a token).
    @discardableResult
    public func add(name: String, role: Role, actor: String?, osUser: String? = nil) throws -> User {
        guard RuleDSL.isValidUserName(name) else {
            throw LifecycleError("user name '\(name)' must be 1-64 characters of letters, digits, '.', '_' or '-'")
        }
        return try pool.write { db in
            let count = try User.fetchCount(db)
            let by: String
            if count == 0 {
                by = actor ?? name
            } else {
                guard let actor else { throw LifecycleError("adding users needs --as ADMIN (users exist already)") }
                try Self.authorize(actor, needs: .admin, action: "user_add", tag: nil, in: db)
                by = actor
            }
            let now = Int64(Date().timeIntervalSince1970)
            let existing = try User.fetchOne(db, key: name)
            let mapped = osUser ?? existing?.osUser
            if let mapped, let holder = try User.filter(Column("os_user") == mapped).fetchOne(db), holder.name != name {
                throw LifecycleError("OS user '\(mapped)' already acts as tagd user '\(holder.name)'")
            }
            let user = User(name: name, role: role, createdAt: existing?.createdAt ?? now, disabled: false, osUser: mapped)
            try user.save(db)
            try AuditLog.append(
                db, actor: by, action: existing == nil ? "user_add" : "user_role", reason: nil,
                detail: "\(name) as \(role.rawValue)" + (mapped.map { " (OS user \($0))" } ?? ""))
            return user
        }
    }

    /// The enabled user mapped to operating-system account `osUser`.
    public func user(forOSUser osUser: String) throws -> User? {
        try pool.read { db in try User.filter(Column("os_user") == osUser).fetchOne(db) }
    }

    /// Disables a user (kept for the audit trail).
    public func disable(name: String, actor: String) throws {
        try pool.write { db in
            try Self.authorize(actor, needs: .admin, action: "user_disable", tag: nil, in: db)
            guard var user = try User.fetchOne(db, key: name) else { throw LifecycleError("no user named \(name)") }
            guard user.name != actor else { throw LifecycleError("an admin cannot disable themselves") }
            user.disabled = true
            try user.update(db)
            try AuditLog.append(db, actor: actor, action: "user_disable", detail: name)
        }
    }

    /// Checks that `actor` exists, is enabled and has at least `role`.
    ///
    /// A refusal is recorded in the audit log (in its own write, so it stays
    /// even though the refused action rolls back) and thrown.
    @discardableResult
    public static func authorize(_ actor: String, needs role: Role, action: String, tag: String?, in db: Database) throws -> User {
        let user = try User.fetchOne(db, key: actor)
        let problem: String? =
            if user == nil {
                try User.fetchCount(db) == 0
                    ? "no users exist yet: create one with tagd user add NAME --role admin"
                    : "unknown user '\(actor)'"
            } else if user?.disabled == true {
                "user '\(actor)' is disabled"
            } else if let user, user.role < role {
                "user '\(actor)' is \(user.role.rawValue); \(action) needs \(role.rawValue)"
            } else {
                nil
            }
        if let problem {
            throw PermissionError(actor: actor, action: action, tag: tag, message: problem)
        }
        guard let user else { throw LifecycleError("unknown user '\(actor)'") }
        return user
    }
}

/// A refused action: who tried what, and why not. Recorded in the audit log.
public struct PermissionError: Error, Sendable, CustomStringConvertible {
    /// The user name that tried the action.
    public let actor: String
    /// The refused action, as the audit log names it (`approve`, `retire`, `user_add`...).
    public let action: String
    /// The tag it was about; `nil` for actions on no tag (users, settings, tokens).
    public let tag: String?
    /// Why it was refused: unknown or disabled user, or a role too low.
    public let message: String

    public var description: String { "permission denied: \(message)" }
}

extension RuleDSL {
    /// Whether `name` is a valid user name.
    public static func isValidUserName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
    }
}
