import GRDB

/// The SQLite member store: members, identities, orders, events, and the
/// tag-side tables written by TagEngine, in one WAL-mode database file.
///
/// Open it once per process and share it: the underlying `DatabasePool`
/// serializes writes and runs reads concurrently.
///
/// ## Topics
///
/// ### Opening and Closing
///
/// - ``init(path:)``
/// - ``path``
/// - ``pool``
/// - ``close()``
/// - ``configuration()``
/// - ``migrator()``
///
/// ### Writing Records
///
/// - ``ingest(_:)``
/// - ``ingest(members:)``
/// - ``ingest(orders:)``
/// - ``ingest(events:)``
/// - ``importFile(_:kind:options:progress:)``
///
/// ### Reading Members
///
/// - ``member(externalID:)``
/// - ``member(id:)``
/// - ``member(channel:identity:)``
/// - ``counts()``
public final class MemberStore: Sendable {
    /// The database file path.
    public let path: String
    /// The GRDB connection pool (WAL mode, foreign keys on, 10 s busy timeout).
    public let pool: DatabasePool

    /// Opens (creating if needed) the store at `path` and migrates it to the
    /// latest schema.
    ///
    /// - Throws: ``StoreError/open(path:reason:)`` when the file cannot be
    ///   opened or migrated.
    /// - Parameter mmapBytes: how much of the file SQLite may map into memory
    ///   (`PRAGMA mmap_size`): reads then skip a copy through the kernel. The
    ///   server uses it; 0 (the default) keeps plain reads.
    public init(path: String, mmapBytes: Int = 0) throws(StoreError) {
        self.path = path
        _ = SQLiteMemoryStatistics.disabled
        do {
            pool = try DatabasePool(path: path, configuration: MemberStore.configuration(mmapBytes: mmapBytes))
            try MemberStore.migrator().migrate(pool)
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
    }

    /// The connection configuration used by ``init(path:mmapBytes:)``.
    public static func configuration(mmapBytes: Int = 0) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if mmapBytes > 0 { try db.execute(sql: "PRAGMA mmap_size = \(mmapBytes)") }
        }
        return config
    }

    /// Closes all connections. Later use of ``pool`` throws.
    public func close() throws(StoreError) {
        do {
            try pool.close()
        } catch {
            throw .database(reason: "closing \(path): \(error)")
        }
    }
}
