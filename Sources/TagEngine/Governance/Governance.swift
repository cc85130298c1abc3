import GRDB

/// Runs governed writes: a refused permission is written to the audit log in
/// its own transaction (the refused action itself rolls back) and rethrown.
enum Governance {
    static func write<T>(_ pool: DatabasePool, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let denied as PermissionError {
            _ = try? pool.write { db in
                try AuditLog.append(
                    db, actor: denied.actor, action: "denied", tag: denied.tag, reason: denied.message, detail: denied.action)
            }
            throw denied
        }
    }
}
