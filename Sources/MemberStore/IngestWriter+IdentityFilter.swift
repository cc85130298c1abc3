import GRDB

extension IngestWriter {
    /// Identity look-ups answer "nobody" from memory from now on when the
    /// identity cannot be stored: the writer keeps a hash of every identity
    /// the store holds (those stored now, loaded here, and those it adds);
    /// a hash found is still looked up in the store, so the answer is exact.
    ///
    /// Loads the hashes only while the store holds at most `maxStored`
    /// identities; returns whether the filter is in use.
    @discardableResult
    func useIdentityFilter(maxStored: Int = 2_000_000) throws -> Bool {
        var filter = Set<UInt64>()
        let rows = try Row.fetchCursor(db, sql: "SELECT channel, external_id FROM identities LIMIT ?", arguments: [maxStored + 1])
        while let row = try rows.next() {
            filter.insert(Self.identityHash(row[0], row[1]))
            if filter.count > maxStored { return false }
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
