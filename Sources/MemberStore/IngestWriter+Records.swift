import GRDB

extension IngestWriter {
    /// Upserts a member: inserts it, or updates its non-nil fields and merges
    /// `attrs`; then upserts its identities (an identity moves to this member
    /// if it belonged to another one).
    ///
    /// The external id and identity ids are normalised with ``MemberID/normalize(_:)``.
    public func write(_ member: MemberInput) throws {
        try write(member, prepared: nil)
    }

    /// ``write(_:)-(MemberInput)`` with its identities already prepared (or `nil`: prepared here).
    func write(_ member: MemberInput, prepared: PreparedIdentities?) throws {
        if Self.isResolved(member, hasPolicy: hasPolicy) { return try writeResolved(member, prepared: prepared) }
        let externalID = try Self.checkedID(member.externalID, field: "member")
        let id: Int64
        if let existing = try cachedMember(for: externalID) ?? insertedMember(externalID, member) {
            id = existing
            try update(existing, with: member)
            count { $0.updated += 1 }
        } else {
            id = statements.insertMember.lastInsertedRowID
            remember(externalID, id)
            count {
                $0.inserted += 1
                $0.createdMembers += 1
            }
        }
        lastWritten = id
        for (channel, identity) in member.identities {
            try store(channel, try Self.checkedID(identity, field: "identities.\(channel)"), of: id, with: statements.upsertIdentity)
        }
    }

    /// Inserts the member unless its external id is stored: `nil` when inserted
    /// (its row id is the last inserted), else the live member the id names.
    private func insertedMember(_ externalID: String, _ member: MemberInput) throws -> Int64? {
        let insert = statements.insertMember
        insert.reset()
        insert.bind(1, externalID)
        insert.bindFields(of: member, from: 2)
        insert.bind(8, JSONValue.jsonString(of: member.attrs))
        insert.bind(9, now)
        insert.bind(10, now)
        try insert.executeDirectly()
        if insert.changes > 0 { return nil }
        guard let (existing, _) = try existingMember(for: externalID) else {
            throw StoreError.database(reason: "member \(externalID) is neither stored nor insertable")
        }
        return existing
    }

    /// A member named by identities (or any member while identity rules
    /// are approved): resolved first, then its fields updated.
    private func writeResolved(_ member: MemberInput, prepared: PreparedIdentities?) throws {
        let before = counts.createdMembers
        let (id, _) = try resolve(externalID: member.externalID, identities: member.identities, fields: member, prepared: prepared)
        let created = counts.createdMembers > before
        // A member created for identities alone was inserted with the fields; one named by an unknown id is bare.
        if !created || !member.externalID.isEmpty { try update(id, with: member) }
        if created { count { $0.inserted += 1 } } else { count { $0.updated += 1 } }
        lastWritten = id
    }

    /// Updates member `id`'s non-nil fields and merges its `attrs`.
    private func update(_ id: Int64, with member: MemberInput) throws {
        let shape = MemberUpdate(member)
        let update = try memberUpdate(shape)
        update.reset()
        let count = shape.bindFields(of: member, to: update)
        if shape.has(.attrs) { update.bind(count + 1, JSONValue.jsonString(of: member.attrs)) }
        update.bind(shape.fieldCount + 1, now)
        update.bind(shape.fieldCount + 2, id)
        try update.executeDirectly()
        logChange(id)
    }

    /// Inserts an order (ignored as a duplicate if its key is already stored).
    public func write(_ order: OrderInput) throws {
        try write(order, prepared: nil)
    }

    /// ``write(_:)-(OrderInput)`` with its identities already prepared (or `nil`: prepared here).
    func write(_ order: OrderInput, prepared: PreparedIdentities?) throws {
        let (memberID, origin) = try resolve(externalID: order.member, identities: order.identities, prepared: prepared)
        let insert = statements.insertOrder
        insert.reset()
        insert.bind(1, memberID)
        insert.bind(2, order.ts)
        insert.bind(3, order.amount)
        insert.bind(4, order.channel)
        insert.bind(5, order.category)
        insert.bind(6, order.product)
        insert.bind(7, order.isNewProduct)
        insert.bind(8, order.coupon)
        insert.bind(9, order.paid)
        insert.bind(10, order.key)
        insert.bind(11, JSONValue.jsonString(of: order.props))
        insert.bind(12, origin)
        try insert.executeDirectly()
        lastWritten = memberID
        noteStoredRows(of: memberID)
        recordInsert(memberID, changes: insert.changes)
    }

    /// Inserts an event (ignored as a duplicate if its key is already stored).
    public func write(_ event: EventInput) throws {
        try write(event, prepared: nil)
    }

    /// ``write(_:)-(EventInput)`` with its identities already prepared (or `nil`: prepared here).
    func write(_ event: EventInput, prepared: PreparedIdentities?) throws {
        let (memberID, origin) = try resolve(externalID: event.member, identities: event.identities, prepared: prepared)
        let insert = statements.insertEvent
        insert.reset()
        insert.bind(1, memberID)
        insert.bind(2, event.ts)
        insert.bind(3, event.type)
        insert.bind(4, event.category)
        insert.bind(5, event.keyword)
        insert.bind(6, JSONValue.jsonString(of: event.props))
        insert.bind(7, event.key)
        insert.bind(8, origin)
        try insert.executeDirectly()
        lastWritten = memberID
        noteStoredRows(of: memberID)
        recordInsert(memberID, changes: insert.changes)
    }

    /// Whether a member record is resolved by its identities (rather than upserted by its id).
    static func isResolved(_ member: MemberInput, hasPolicy: Bool) -> Bool {
        !member.identities.isEmpty && (hasPolicy || member.externalID.isEmpty)
    }

    private func recordInsert(_ memberID: Int64, changes: Int) {
        if changes == 0 {
            count { $0.duplicates += 1 }
        } else {
            count { $0.inserted += 1 }
            logChange(memberID)
        }
    }
}
