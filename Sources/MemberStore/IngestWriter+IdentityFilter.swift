import GRDB

extension IngestWriter {
    /// Identity look-ups answer "nobody" from memory from now on when the
    /// identity cannot be stored: the writer keeps every identity the store
    /// holds (those stored now, loaded here, and those it adds) in an
    /// ``IdentityFilter``; an identity the filter may hold is still looked
    /// up in the store, so the answer is exact.
    ///
    /// Loads the stored identities only while the store holds at most
    /// `maxStored`; `expectedNew`: about how many the writer will add (sizes
    /// the filter). Returns whether the filter is in use.
    @discardableResult
    func useIdentityFilter(maxStored: Int = 2_000_000, expectedNew: Int = 0) throws -> Bool {
        let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM identities LIMIT ?)", arguments: [maxStored + 1]) ?? 0
        if stored > maxStored { return false }
        var filter = IdentityFilter(expected: stored + expectedNew)
        let rows = try Row.fetchCursor(db, sql: "SELECT channel, external_id FROM identities")
        while let row = try rows.next() {
            filter.insert(Self.identityHash(row[0], row[1]))
        }
        identityFilter = filter
        return true
    }

    /// Adds a stored identity to the filter.
    func noteIdentity(_ hash: UInt64) {
        identityFilter?.insert(hash)
    }

    /// A hash of one identity (this process's seed).
    static func identityHash(_ channel: String, _ value: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(channel)
        hasher.combine(value)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
