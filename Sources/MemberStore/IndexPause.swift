import GRDB

/// Drops the members table's low-cardinality secondary indexes for an
/// import that is large against the store, inside its transaction, and
/// builds them again before the commit.
///
/// Every member insert adds an entry to each of these indexes (and an
/// update that sets an indexed field rewrites it); no statement of an
/// import reads them. `CREATE INDEX` sorts the table once, which costs less
/// than the incremental entries when the import brings most of the rows
/// (measured: 1.2 s to build the four over 1.2 million members against
/// 2.2 s of incremental upkeep during the import of 1.8 million accounts).
/// Like ``ChangeLogPause`` the indexes are dropped and created again from
/// their stored SQL in the same transaction, so an error, a rollback or
/// kill -9 leaves them as they were and no other connection sees the store
/// without them.
struct IndexPause {
    /// The indexes paused: ad-hoc query indexes on member attributes.
    static let names = ["members_channel", "members_gender", "members_level", "members_region"]
    /// Input rows estimated from the file size (an underestimate for member files, about 100 bytes a row).
    static let bytesPerRow: Int64 = 128
    /// Paused when the estimated input rows are at least this many times the members stored.
    static let minimumRatio: Int64 = 4

    /// The paused indexes' names and `CREATE INDEX` statements.
    private let indexes: [(name: String, sql: String)]

    /// Pauses the indexes when an import of `kind` from a file of
    /// `inputBytes` is large against the members stored; `db` must be
    /// inside a write transaction.
    init(_ db: Database, kind: RecordKind, inputBytes: Int64) throws {
        guard kind == .members else { indexes = []; return }
        let stored = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM members") ?? 0
        guard inputBytes / Self.bytesPerRow >= Self.minimumRatio * stored else { indexes = []; return }
        let names = Self.names.map { "'\($0)'" }.joined(separator: ", ")
        indexes = try Row.fetchAll(
            db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND name IN (\(names)) ORDER BY name"
        ).map { ($0[0], $0[1]) }
        for index in indexes {
            try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)")
        }
    }

    /// Whether any index is paused.
    var isActive: Bool { !indexes.isEmpty }

    /// Builds the indexes again (before the transaction commits).
    func restore(_ db: Database) throws {
        for index in indexes { try db.execute(sql: index.sql) }
    }
}
