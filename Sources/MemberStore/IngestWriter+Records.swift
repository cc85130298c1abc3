import GRDB

extension IngestWriter {
    /// Upserts a member: inserts it, or updates its non-nil fields and merges
    /// `attrs`; then upserts its identities (an identity moves to this member
    /// if it belonged to another one).
    public func write(_ member: MemberInput) throws {
        let id: Int64
        if let existing = try existingMemberID(for: member.externalID) {
            id = existing
            let attrs: String? = member.attrs.isEmpty ? nil : JSONValue.jsonString(of: member.attrs)
            try statements.updateMember.execute(arguments: [
                member.channel, member.registeredAt, member.gender, member.region, member.birthday,
                member.level, attrs, now, id,
            ])
            count { $0.updated += 1 }
        } else {
            try statements.insertMember.execute(arguments: [
                member.externalID, member.channel, member.registeredAt, member.gender, member.region,
                member.birthday, member.level, JSONValue.jsonString(of: member.attrs), now, now,
            ])
            id = db.lastInsertedRowID
            remember(member.externalID, id)
            count {
                $0.inserted += 1
                $0.createdMembers += 1
            }
        }
        for (channel, externalID) in member.identities {
            try statements.upsertIdentity.execute(arguments: [channel, externalID, id])
            count { $0.identities += 1 }
        }
    }

    /// Inserts an order (ignored as a duplicate if its key is already stored).
    public func write(_ order: OrderInput) throws {
        let memberID = try memberID(for: order.member)
        try statements.insertOrder.execute(arguments: [
            memberID, order.ts, order.amount, order.channel, order.category, order.product,
            order.isNewProduct, order.coupon, order.paid, order.key,
        ])
        recordInsert()
    }

    /// Inserts an event (ignored as a duplicate if its key is already stored).
    public func write(_ event: EventInput) throws {
        let memberID = try memberID(for: event.member)
        try statements.insertEvent.execute(arguments: [
            memberID, event.ts, event.type, event.category, event.keyword,
            JSONValue.jsonString(of: event.props), event.key,
        ])
        recordInsert()
    }

    private func recordInsert() {
        if db.changesCount == 0 {
            count { $0.duplicates += 1 }
        } else {
            count { $0.inserted += 1 }
        }
    }
}
