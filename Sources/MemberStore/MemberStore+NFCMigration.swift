import GRDB

extension MemberStore {
    /// Rewrites stored member external ids and identity ids into NFC (see
    /// ``MemberID``), for stores filled before ids were normalised on input.
    ///
    /// An id whose NFC form is already taken by another row is left as it
    /// is: merging two members is not something a migration should guess.
    /// Only non-ASCII ids are read, ASCII being NFC already.
    static func normalizeStoredIDs(_ db: Database) throws {
        let nonASCII = "length(CAST(external_id AS BLOB)) != length(external_id)"
        let members = try Row.fetchAll(db, sql: "SELECT id, external_id FROM members WHERE \(nonASCII)")
        for member in members {
            let stored: String = member["external_id"]
            let normalized = MemberID.normalize(stored)
            guard normalized.utf8.elementsEqual(stored.utf8) == false else { continue }
            try db.execute(
                sql: """
                    UPDATE members SET external_id = ? WHERE id = ? \
                    AND NOT EXISTS (SELECT 1 FROM members WHERE external_id = ?)
                    """,
                arguments: [normalized, member["id"] as Int64, normalized])
        }
        let identities = try Row.fetchAll(db, sql: "SELECT channel, external_id FROM identities WHERE \(nonASCII)")
        for identity in identities {
            let stored: String = identity["external_id"]
            let channel: String = identity["channel"]
            let normalized = MemberID.normalize(stored)
            guard normalized.utf8.elementsEqual(stored.utf8) == false else { continue }
            try db.execute(
                sql: """
                    UPDATE identities SET external_id = ? WHERE channel = ? AND external_id = ? \
                    AND NOT EXISTS (SELECT 1 FROM identities WHERE channel = ? AND external_id = ?)
                    """,
                arguments: [normalized, channel, stored, channel, normalized])
        }
    }
}
