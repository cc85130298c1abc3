import Foundation
import GRDB

/// The append-only audit log.
///
/// Each row's `hash` is an HMAC-SHA-256, under the store's ``AuditKey``, of
/// its content and the previous row's hash, so editing, inserting or deleting
/// a row breaks the chain, and recomputing the chain needs the key, which is
/// kept outside the store. Rows written before the chain was keyed (`key_id`
/// empty) keep their plain SHA-256 links; they may only precede keyed rows.
public enum AuditLog {
    /// Appends an entry and returns its hash.
    @discardableResult
    public static func append(
        _ db: Database, actor: String, action: String, tag: String? = nil, versionHash: String? = nil,
        reason: String? = nil, detail: String? = nil, at: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws -> String {
        let key = try AuditKeyring.key(for: db)
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") ?? ""
        let fields = AuditFields(
            previous: previous, at: at, actor: actor, action: action, tag: tag, versionHash: versionHash, reason: reason,
            detail: detail)
        let hash = Hashing.hmacHex(fields.canonical, key: key.key)
        try db.execute(
            sql: """
                INSERT INTO audit_log(at, actor, action, tag, version_hash, reason, detail, prev_hash, hash, key_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [at, actor, action, tag, versionHash, reason, detail, previous, hash, key.id])
        return hash
    }

    /// The id of the first row whose chain does not verify, or `nil` when all do.
    public static func firstBrokenRow(_ db: Database) throws -> Int64? {
        try verify(db).brokenAt
    }

    /// Checks the whole chain with the store's key.
    public static func verify(_ db: Database) throws -> AuditVerification {
        let key = try AuditKeyring.key(for: db)
        var result = AuditVerification()
        var previous = ""
        var keyedSeen = false
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT id, at, actor, action, tag, version_hash, reason, detail, prev_hash, hash, key_id FROM audit_log ORDER BY id"
        )
        while let row = try rows.next() {
            let fields = AuditFields(
                previous: previous, at: row["at"], actor: row["actor"], action: row["action"], tag: row["tag"],
                versionHash: row["version_hash"], reason: row["reason"], detail: row["detail"])
            let keyID: String = row["key_id"]
            let stored: String = row["hash"]
            let storedPrevious: String = row["prev_hash"]
            let expected: String
            if keyID.isEmpty {
                // An unkeyed row after a keyed one is a downgrade: refused.
                expected = keyedSeen ? "" : Hashing.sha256Hex(fields.canonical)
                result.unkeyed += 1
            } else {
                keyedSeen = true
                if keyID != key.id { result.foreignKey = keyID }
                expected = Hashing.hmacHex(fields.canonical, key: key.key)
            }
            result.entries += 1
            if storedPrevious != previous || !Hashing.equal(stored, expected) {
                result.brokenAt = row["id"]
                return result
            }
            previous = stored
        }
        return result
    }
}

/// What ``AuditLog/verify(_:)`` found.
public struct AuditVerification: Sendable, Equatable {
    /// Rows checked.
    public var entries = 0
    /// Rows from before the chain was keyed (protected only against accidents).
    public var unkeyed = 0
    /// The first row that does not verify, `nil` when the chain holds.
    public var brokenAt: Int64?
    /// A key id found in the log that is not the key in use (the key file was replaced).
    public var foreignKey: String?
}

/// The fields one audit row's hash covers, length-prefixed so no two rows
/// share a canonical form.
struct AuditFields {
    var previous: String
    var at: Int64
    var actor: String
    var action: String
    var tag: String?
    var versionHash: String?
    var reason: String?
    var detail: String?

    var canonical: String {
        let fields = [previous, String(at), actor, action, tag ?? "", versionHash ?? "", reason ?? "", detail ?? ""]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}
