import GRDB
import GRDBSQLite

/// Inserts the rows of one ``DemoMemberBuilder`` member through GRDB cached
/// prepared statements of one write transaction, for ``DemoGenerator``.
///
/// For speed (millions of rows), values are bound with `sqlite3_bind_*`
/// directly on each statement's `sqliteStatement` (catalog strings without
/// copying, see ``DemoCStrings``) and the statement then runs through GRDB's
/// `Statement.execute()`, which keeps GRDB's transaction bookkeeping and
/// observation hooks intact. Orders and events go in multi-row INSERTs of
/// ``batchRows`` rows (single-row ones for the rest). No `Row`, record,
/// `StatementArguments` or SQL text is built per row.
struct DemoStoreWriter {
    /// One cached INSERT statement, bound by hand.
    private struct Insert {
        let statement: Statement
        let handle: SQLiteStatement

        /// An insert of `rows` rows of `columns` values each; `prefix` is the
        /// statement up to `VALUES` included.
        init(_ db: Database, _ prefix: String, columns: Int, rows: Int = 1) throws {
            let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
            let sql = prefix + " " + Array(repeating: tuple, count: rows).joined(separator: ", ")
            statement = try db.cachedStatement(sql: sql)
            handle = statement.sqliteStatement
            // Marks GRDB's arguments as bound, so that `execute()` only
            // resets and steps, keeping the bindings made with `sqlite3_bind_*`.
            statement.setUncheckedArguments(StatementArguments([DatabaseValue](repeating: .null, count: columns * rows)))
        }

        /// Makes the statement ready for new bindings.
        @inline(__always) func begin() { sqlite3_reset(handle) }

        @inline(__always) func int(_ index: Int32, _ value: Int64) -> Int32 {
            sqlite3_bind_int64(handle, index, value)
        }

        @inline(__always) func double(_ index: Int32, _ value: Double) -> Int32 {
            sqlite3_bind_double(handle, index, value)
        }

        /// Binds an immortal catalog string (or NULL) without copying.
        @inline(__always) func text(_ index: Int32, _ value: UnsafePointer<CChar>?) -> Int32 {
            guard let value else { return sqlite3_bind_null(handle, index) }
            return sqlite3_bind_text(handle, index, value, -1, nil)  // SQLITE_STATIC
        }

        /// Binds a copy of a transient string.
        @inline(__always) func text(_ index: Int32, _ value: String) -> Int32 {
            value.withCString { sqlite3_bind_text(handle, index, $0, -1, DemoStoreWriter.transient) }
        }

        /// Runs the bound statement (GRDB resets it again, keeping the
        /// bindings, and steps it).
        @inline(__always) func run(_ bindCodes: Int32) throws {
            guard bindCodes == SQLITE_OK else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: bindCodes), message: "binding demo values failed",
                    sql: statement.sql)
            }
            try statement.execute()
        }
    }

    /// SQLite's `SQLITE_TRANSIENT` destructor: "copy the value now".
    fileprivate static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Rows per multi-row order and event INSERT.
    static let batchRows = 8

    private static let orderColumns: Int32 = 9
    private static let eventColumns: Int32 = 6

    private let members: Insert
    private let account: Insert
    private let identities: Insert
    private let order: Insert
    private let orderBatch: Insert
    private let event: Insert
    private let eventBatch: Insert
    private let strings = DemoCStrings.shared

    /// Prepares (or fetches from `db`'s statement cache) the insert statements.
    init(_ db: Database) throws {
        members = try Insert(db, """
            INSERT INTO members(id, external_id, channel, registered_at, gender, region, birthday, level, attrs, \
            created_at, updated_at) VALUES
            """, columns: 11)
        account = try Insert(db, "INSERT INTO members(id, external_id, registered_at, created_at, updated_at) VALUES", columns: 5)
        identities = try Insert(db, "INSERT INTO identities(channel, external_id, member_id) VALUES", columns: 3)
        let orders = """
            INSERT INTO orders(member_id, ts, amount, channel, category, product, is_new_product, coupon, paid) VALUES
            """
        order = try Insert(db, orders, columns: Int(Self.orderColumns))
        orderBatch = try Insert(db, orders, columns: Int(Self.orderColumns), rows: Self.batchRows)
        let events = "INSERT INTO events(member_id, ts, type, category, keyword, props) VALUES"
        event = try Insert(db, events, columns: Int(Self.eventColumns))
        eventBatch = try Insert(db, events, columns: Int(Self.eventColumns), rows: Self.batchRows)
    }

    /// Inserts the builder's current member with its identities, orders and
    /// events; returns the number of rows written.
    func write(_ builder: DemoMemberBuilder) throws -> Int {
        let member = builder.member
        let id = member.id
        members.begin()
        var codes = members.int(1, id)
        codes |= members.text(2, member.externalID)
        codes |= members.text(3, strings.channels[member.channel])
        codes |= members.int(4, member.registeredAt)
        codes |= members.text(5, strings.genders[member.gender])
        codes |= members.text(6, strings.regions[member.region])
        codes |= members.text(7, member.birthday)
        codes |= members.int(8, Int64(member.level))
        codes |= member.attrs == "{}" ? members.text(9, strings.emptyObject) : members.text(9, member.attrs)
        codes |= members.int(10, member.registeredAt)
        codes |= members.int(11, member.updatedAt)
        try members.run(codes)

        for identity in builder.identities {
            identities.begin()
            codes = identities.text(1, strings.identityChannels[identity.channel])
            codes |= identities.text(2, identity.value)
            codes |= identities.int(3, id)
            try identities.run(codes)
        }

        var accountIdentities = 0
        for extra in builder.accounts {
            account.begin()
            codes = account.int(1, extra.id)
            codes |= account.text(2, extra.externalID)
            codes |= account.int(3, extra.registeredAt)
            codes |= account.int(4, extra.registeredAt)
            codes |= account.int(5, extra.registeredAt)
            try account.run(codes)
            for (channel, value) in extra.identities {
                identities.begin()
                codes = identities.text(1, channel)
                codes |= identities.text(2, value)
                codes |= identities.int(3, extra.id)
                try identities.run(codes)
            }
            accountIdentities += extra.identities.count
        }

        let orderOwners = builder.orderAccounts
        try writeBatched(builder.orders, single: order, batch: orderBatch, columns: Self.orderColumns) {
            bind(order: $2, member: Self.owner($3, orderOwners, builder), into: $0, at: $1)
        }
        let eventOwners = builder.eventAccounts
        try writeBatched(builder.events, single: event, batch: eventBatch, columns: Self.eventColumns) {
            bind(event: $2, member: Self.owner($3, eventOwners, builder), into: $0, at: $1)
        }
        return 1 + builder.identities.count + builder.orders.count + builder.events.count + builder.accounts.count + accountIdentities
    }

    /// The member row holding row `index`: the member, or one of its further accounts.
    @inline(__always)
    private static func owner(_ index: Int, _ owners: [Int], _ builder: DemoMemberBuilder) -> Int64 {
        guard !owners.isEmpty, owners[index] > 0 else { return builder.member.id }
        return builder.accounts[owners[index] - 1].id
    }

    /// Inserts `rows` in order: whole batches first, then one by one.
    @inline(__always)
    private func writeBatched<Element>(
        _ rows: [Element], single: Insert, batch: Insert, columns: Int32,
        bind: (Insert, Int32, Element, Int) -> Int32
    ) throws {
        var index = 0
        while rows.count - index >= Self.batchRows {
            batch.begin()
            var codes = SQLITE_OK
            for k in 0..<Self.batchRows {
                codes |= bind(batch, Int32(k) * columns, rows[index + k], index + k)
            }
            try batch.run(codes)
            index += Self.batchRows
        }
        while index < rows.count {
            single.begin()
            try single.run(bind(single, 0, rows[index], index))
            index += 1
        }
    }

    /// Binds one order to parameters `base + 1 ... base + 9`.
    @inline(__always)
    private func bind(order: DemoMemberBuilder.Order, member id: Int64, into insert: Insert, at base: Int32) -> Int32 {
        let category = Int(order.category)
        var codes = insert.int(base + 1, id)
        codes |= insert.int(base + 2, order.ts)
        codes |= insert.double(base + 3, order.amount)
        codes |= insert.text(base + 4, strings.channels[Int(order.channel)])
        codes |= insert.text(base + 5, strings.categories[category])
        codes |= insert.text(base + 6, strings.products[category][Int(order.product)])
        codes |= insert.int(base + 7, order.isNewProduct ? 1 : 0)
        codes |= insert.text(base + 8, order.coupon < 0 ? nil : strings.coupons[Int(order.coupon)])
        codes |= insert.int(base + 9, order.paid ? 1 : 0)
        return codes
    }

    /// Binds one event to parameters `base + 1 ... base + 6`.
    @inline(__always)
    private func bind(event: DemoMemberBuilder.Event, member id: Int64, into insert: Insert, at base: Int32) -> Int32 {
        let category = Int(event.category)
        var codes = insert.int(base + 1, id)
        codes |= insert.int(base + 2, event.ts)
        codes |= insert.text(base + 3, strings.eventTypes[Int(event.type)])
        codes |= insert.text(base + 4, category < 0 ? nil : strings.categories[category])
        codes |= insert.text(base + 5, event.keyword < 0 ? nil : strings.keywords[category][Int(event.keyword)])
        codes |= insert.text(base + 6, strings.props[Int(event.props)])
        return codes
    }
}
