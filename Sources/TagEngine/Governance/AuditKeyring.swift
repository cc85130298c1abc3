import Foundation
import GRDB
import Synchronization

#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// The audit keys this process has loaded, by store file.
///
/// ``AuditLog`` finds the key of the database it writes to here, so every
/// path that appends (CLI, server, library callers) signs with the same key
/// without passing it around.
enum AuditKeyring {
    private static let keys = Mutex<[String: AuditKey]>([:])

    /// The key for the store behind `db`. When the key file is missing it is
    /// created only if no audit row was keyed yet; otherwise the log was
    /// written with a key this process cannot find, and appending would break
    /// the chain.
    static func key(for db: Database) throws -> AuditKey {
        let store = storePath(db)
        if let key = keys.withLock({ $0[store] }) { return key }
        let path = AuditKey.location(forStore: store)
        let key: AuditKey
        if let existing = try AuditKey.read(path: path) {
            key = existing
        } else {
            let keyed = try String.fetchOne(db, sql: "SELECT key_id FROM audit_log WHERE key_id <> '' ORDER BY id DESC LIMIT 1")
            if let keyed {
                throw AuditKeyError(
                    "the audit log of \(store) is signed with key \(keyed), but there is no key file at \(path): "
                        + "restore it (or point TAGD_AUDIT_KEY at it)")
            }
            key = try AuditKey.create(path: path)
        }
        keys.withLock { $0[store] = key }
        return key
    }

    /// Forgets every loaded key (tests simulate a new process).
    static func forget() { keys.withLock { $0.removeAll() } }

    /// The file of the main database behind `db`.
    static func storePath(_ db: Database) -> String {
        guard let name = sqlite3_db_filename(db.sqliteConnection, "main") else { return ":memory:" }
        let path = String(cString: name)
        return path.isEmpty ? ":memory:" : path
    }
}
