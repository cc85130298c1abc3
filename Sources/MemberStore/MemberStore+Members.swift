import GRDB

extension MemberStore {
    /// The member with this external id (normalised with ``MemberID/normalize(_:)``), or `nil`;
    /// a member merged into another is returned with ``MemberRecord/mergedInto`` set.
    public func member(externalID: String) throws(StoreError) -> MemberRecord? {
        let externalID = MemberID.normalize(externalID)
        return try read { db in try MemberStore.fetchMember(db, whereSQL: "external_id = ?", externalID) }
    }

    /// The member with this row id, or `nil`.
    public func member(id: Int64) throws(StoreError) -> MemberRecord? {
        try read { db in try MemberStore.fetchMember(db, whereSQL: "id = ?", id) }
    }

    /// The member owning an identity (e.g. channel `wechat`, id `wx_1`; the id
    /// normalised with ``MemberID/normalize(_:)``), or `nil`.
    public func member(channel: String, identity: String) throws(StoreError) -> MemberRecord? {
        let identity = MemberID.normalize(identity)
        return try read { db in
            try MemberStore.fetchMember(
                db, whereSQL: "id = (SELECT member_id FROM identities WHERE channel = ? AND external_id = ?)",
                channel, identity)
        }
    }

    /// Fetches one member and its identities on an open connection.
    static func fetchMember(
        _ db: Database, whereSQL: String, _ arguments: any DatabaseValueConvertible...
    ) throws -> MemberRecord? {
        let sql = """
            SELECT id, external_id, channel, registered_at, gender, region, birthday, level, attrs, \
            created_at, updated_at, merged_into FROM members WHERE \(whereSQL)
            """
        guard let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) else { return nil }
        let id: Int64 = row["id"]
        let attrsText: String = row["attrs"]
        var member = MemberRecord(
            id: id, externalID: row["external_id"], channel: row["channel"], registeredAt: row["registered_at"],
            gender: row["gender"], region: row["region"], birthday: row["birthday"], level: row["level"],
            attrs: (try? JSONValue(parsing: attrsText))?.objectValue ?? [:],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
        if (row["merged_into"] as Int64?) != nil {
            let survivor = try IdentityMerger(db: db).live(id)
            member.mergedInto = try String.fetchOne(db, sql: "SELECT external_id FROM members WHERE id = ?", arguments: [survivor])
        }
        let identities = try Row.fetchAll(
            db, sql: "SELECT channel, external_id FROM identities WHERE member_id = ?", arguments: [id])
        for identity in identities {
            member.identities[identity["channel"]] = identity["external_id"] as String
        }
        return member
    }

    /// Runs a read, mapping database errors to ``StoreError``.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw .database(reason: "\(error)")
        }
    }
}
