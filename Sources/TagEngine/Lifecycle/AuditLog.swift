import Foundation
import GRDB

/// The append-only audit log. Each row's `hash` covers its content and the
/// previous row's hash, so editing or deleting a row breaks the chain.
public enum AuditLog {
    /// Appends an entry and returns its hash.
    @discardableResult
    public static func append(
        _ db: Database, actor: String, action: String, tag: String? = nil, versionHash: String? = nil,
        reason: String? = nil, detail: String? = nil, at: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws -> String {
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") ?? ""
        let hash = chainHash(
            previous: previous, at: at, actor: actor, action: action, tag: tag, versionHash: versionHash,
            reason: reason, detail: detail)
        try db.execute(
            sql: """
                INSERT INTO audit_log(at, actor, action, tag, version_hash, reason, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [at, actor, action, tag, versionHash, reason, detail, previous, hash])
        return hash
    }

    static func chainHash(
        previous: String, at: Int64, actor: String, action: String, tag: String?, versionHash: String?,
        reason: String?, detail: String?
    ) -> String {
        let fields = [previous, String(at), actor, action, tag ?? "", versionHash ?? "", reason ?? "", detail ?? ""]
        return SHA256.hex(fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|"))
    }

    /// The id of the first row whose chain does not verify, or `nil` when all do.
    public static func firstBrokenRow(_ db: Database) throws -> Int64? {
        var previous = ""
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, at, actor, action, tag, version_hash, reason, detail, prev_hash, hash FROM audit_log ORDER BY id")
        while let row = try rows.next() {
            let expected = chainHash(
                previous: previous, at: row["at"], actor: row["actor"], action: row["action"], tag: row["tag"],
                versionHash: row["version_hash"], reason: row["reason"], detail: row["detail"])
            let stored: String = row["hash"]
            let storedPrevious: String = row["prev_hash"]
            if storedPrevious != previous || stored != expected { return row["id"] }
            previous = stored
        }
        return nil
    }
}
