import GRDB

extension IngestWriter {
    /// The prepared statements of one writer.
    struct Statements {
        let selectMember: RawStatement
        let insertBareMember: RawStatement
        let insertMember: RawStatement
        let insertResolvedMember: RawStatement
        let upsertIdentity: RawStatement
        let selectIdentity: RawStatement
        let insertIdentity: RawStatement
        let countIdentities: RawStatement
        let countMerges: RawStatement
        let insertOrder: RawStatement
        let insertEvent: RawStatement

        init(_ db: Database) throws {
            selectMember = try RawStatement(db.makeStatement(sql: "SELECT id, merged_into FROM members WHERE external_id = ?"))
            selectIdentity = try RawStatement(db.makeStatement(sql: "SELECT member_id FROM identities WHERE channel = ? AND external_id = ?"))
            insertIdentity = try RawStatement(db.makeStatement(sql: "INSERT INTO identities(channel, external_id, member_id, origin_id) VALUES (?, ?, ?, ?)"))
            countIdentities = try RawStatement(db.makeStatement(sql: "SELECT count(*) FROM identities WHERE member_id = ? AND channel = ?"))
            countMerges = try RawStatement(db.makeStatement(sql: "SELECT count(*) FROM merges WHERE survivor IN (?, ?) AND undone_at IS NULL"))
            // Inserts change nothing when the external id is taken (the caller then looks it up).
            insertBareMember = try RawStatement(db.makeStatement(
                sql: "INSERT INTO members(external_id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT(external_id) DO NOTHING"))
            insertMember = try RawStatement(db.makeStatement(
                sql: """
                    INSERT INTO members(external_id, channel, registered_at, gender, region, birthday, level, \
                    attrs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(external_id) DO NOTHING
                    """))
            // A member created by resolution, as a bare insert followed by an update of its fields would leave it.
            insertResolvedMember = try RawStatement(db.makeStatement(
                sql: """
                    INSERT INTO members(external_id, channel, registered_at, gender, region, birthday, level, \
                    attrs, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, \
                    CASE WHEN ?8 IS NULL THEN '{}' ELSE json_patch('{}', ?8) END, ?9, ?9) ON CONFLICT(external_id) DO NOTHING
                    """))
            upsertIdentity = try RawStatement(db.makeStatement(
                sql: """
                    INSERT INTO identities(channel, external_id, member_id, origin_id) VALUES (?, ?, ?, ?) \
                    ON CONFLICT(channel, external_id) DO UPDATE SET member_id = excluded.member_id
                    """))
            insertOrder = try RawStatement(db.makeStatement(
                sql: """
                    INSERT INTO orders(member_id, ts, amount, channel, category, product, is_new_product, coupon, \
                    paid, order_key, props, origin_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(order_key) DO NOTHING
                    """))
            insertEvent = try RawStatement(db.makeStatement(
                sql: """
                    INSERT INTO events(member_id, ts, type, category, keyword, props, event_key, origin_id) \
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_key) DO NOTHING
                    """))
        }
    }
}

extension RawStatement {
    /// Binds a member's six plain fields (channel, registration time,
    /// gender, region, birthday, level), in that order, from parameter `first` on.
    func bindFields(of member: MemberInput, from first: Int32) {
        bind(first, member.channel)
        bind(first + 1, member.registeredAt)
        bind(first + 2, member.gender)
        bind(first + 3, member.region)
        bind(first + 4, member.birthday)
        bind(first + 5, member.level)
    }

    /// Binds one identity row (channel, value, member, origin: `nil` or 0 for none) and runs the statement.
    func executeIdentity(_ channel: String, _ value: String, member: Int64, origin: Int64? = nil) throws {
        reset()
        bind(1, channel)
        bind(2, value)
        bind(3, member)
        bind(4, origin == 0 ? nil : origin)
        try executeDirectly()
    }
}
