import GRDB

extension MemberStore {
    /// Page cache for bulk writes (KiB): large enough that the index pages of
    /// big tables stay in memory during one long transaction.
    static let bulkCacheKiB = 1024 * 1024

    /// Runs `body` in one immediate transaction tuned for bulk inserts: a
    /// large page cache, and foreign-key enforcement off (``IngestWriter``
    /// resolves or creates every member before referencing it). Settings are
    /// restored afterwards; an error rolls everything back.
    func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
            try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA cache_size = \(-Self.bulkCacheKiB); PRAGMA temp_store = MEMORY")
            defer {
                try? db.execute(sql: "PRAGMA foreign_keys = ON; PRAGMA cache_size = \(cacheSize); PRAGMA temp_store = \(tempStore)")
            }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw StoreError.database(reason: "bulk write produced no result") }
            return result
        }
    }
}
