import GRDB

/// Inserts the rows of one ``DemoMemberBuilder`` member through cached
/// prepared statements of one write transaction, for ``DemoGenerator``.
///
/// Values are bound with `setUncheckedArguments` and executed with
/// `execute()`: no `Row`, record or SQL text is built per row.
struct DemoStoreWriter {
    private let memberStatement: Statement
    private let identityStatement: Statement
    private let orderStatement: Statement
    private let eventStatement: Statement

    /// Prepares (or fetches from `db`'s statement cache) the insert statements.
    init(_ db: Database) throws {
        memberStatement = try db.cachedStatement(sql: """
            INSERT INTO members(id, external_id, channel, registered_at, gender, region, birthday, level, attrs, \
            created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        identityStatement = try db.cachedStatement(sql: """
            INSERT INTO identities(channel, external_id, member_id) VALUES (?, ?, ?)
            """)
        orderStatement = try db.cachedStatement(sql: """
            INSERT INTO orders(member_id, ts, amount, channel, category, product, is_new_product, coupon, paid) \
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        eventStatement = try db.cachedStatement(sql: """
            INSERT INTO events(member_id, ts, type, category, keyword, props) VALUES (?, ?, ?, ?, ?, ?)
            """)
    }

    /// Inserts the builder's current member with its identities, orders and
    /// events; returns the number of rows written.
    func write(_ builder: DemoMemberBuilder) throws -> Int {
        let member = builder.member
        let id = member.id
        memberStatement.setUncheckedArguments([
            id, member.externalID, DemoCatalog.channels[member.channel], member.registeredAt,
            DemoCatalog.genders[member.gender], DemoCatalog.regions[member.region], member.birthday,
            member.level, member.attrs, member.registeredAt, member.updatedAt,
        ])
        try memberStatement.execute()

        for identity in builder.identities {
            identityStatement.setUncheckedArguments([
                DemoCatalog.identityChannels[identity.channel], identity.value, id,
            ])
            try identityStatement.execute()
        }

        for order in builder.orders {
            let category = Int(order.category)
            orderStatement.setUncheckedArguments([
                id, order.ts, order.amount, DemoCatalog.channels[Int(order.channel)],
                DemoCatalog.categories[category], DemoCatalog.products[category][Int(order.product)],
                order.isNewProduct, order.coupon < 0 ? nil : DemoCatalog.coupons[Int(order.coupon)], order.paid,
            ])
            try orderStatement.execute()
        }

        for event in builder.events {
            let category = Int(event.category)
            eventStatement.setUncheckedArguments([
                id, event.ts, DemoCatalog.eventTypes[Int(event.type)],
                category < 0 ? nil : DemoCatalog.categories[category],
                event.keyword < 0 ? nil : DemoCatalog.keywords[category][Int(event.keyword)],
                DemoCatalog.props[Int(event.props)],
            ])
            try eventStatement.execute()
        }
        return 1 + builder.identities.count + builder.orders.count + builder.events.count
    }
}
