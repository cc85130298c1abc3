import Foundation
import GRDB

/// Seeded, deterministic generator of realistic retail CRM demo data,
/// written straight into an empty tagd store (`members`, `identities`,
/// `orders`, `events`). Used by `tagd demo` (about 20,000 members) and
/// `tagd bench` (1,000,000 members, about 10M events and 3M orders).
///
/// The same options (seed and `asOf` included) always produce byte-identical
/// rows: all randomness comes from a private xoshiro256** stream per member,
/// never from the system generator.
///
/// Members mix the behaviours of ``DemoArchetype`` so that typical tag rules
/// find somebody: loyal repeat buyers, big spenders, lapsed buyers (last order
/// more than 180 days ago), one-time new customers (one order in the last 30
/// days), interest users (cart/favourite in the last 7 days without buying),
/// never-buyers (browse/sign_in only) and dormant members. Each member has a
/// preferred category among `apparel`, `beauty`, `electronics`, `grocery`,
/// `home`, `sports`, `books`, `baby` and `pet` (the campaigns' "category A").
///
/// Every member has 1 to 3 `identities` (channels `wechat`, `phone`, `tmall`,
/// `jd`; always the one of its registration channel).
///
/// Rows are inserted with cached prepared statements in transactions of about
/// 100,000 rows, members in id order (`1...members`, external ids
/// `M0000001`...), each member's orders and events in time order; a million
/// members take about half a minute on two cores.
public struct DemoGenerator: Sendable {
    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// Number of members (ids `1...members`).
        public var members: Int
        /// Average events per member over the whole store; 0 writes no events.
        /// Averages below about 1.8 are not reached (archetype minimums).
        public var eventsPerMember: Double
        /// Average orders per member over the whole store; 0 writes no orders.
        /// Averages below about 0.9 are not reached, since every buying
        /// archetype has at least one order.
        public var ordersPerMember: Double
        /// The random seed: same seed and options, same data.
        public var seed: UInt64
        /// The "now" of the data, truncated to whole seconds: every timestamp
        /// falls in the two years before it (and none after).
        public var asOf: Date
        /// Whether members with a phone get 0 to 3 further channel accounts
        /// of the same person (taobao, jd, WeChat mini-program, store card;
        /// ``PersonAccounts``): member rows after the `members` ones, named
        /// like `tb17x0`, that the shipped `rules/identity.lua` merges into
        /// the member (placeholder phones and a family's shared e-mail
        /// included). The member's orders and events are spread over the
        /// accounts that merge, so after `tagd identity resolve` each member
        /// holds exactly the rows it holds without accounts. Off by default
        /// (`tagd bench`); `tagd demo` turns it on.
        public var accounts = false

        /// Creates options; `asOf` defaults to the current time.
        public init(
            members: Int = 20_000, eventsPerMember: Double = 10, ordersPerMember: Double = 3,
            seed: UInt64 = 42, asOf: Date = Date()
        ) {
            self.members = members
            self.eventsPerMember = eventsPerMember
            self.ordersPerMember = ordersPerMember
            self.seed = seed
            self.asOf = asOf
        }
    }

    /// Rows per write transaction (rounded up to a whole member).
    static let rowsPerTransaction = 100_000
    /// Page cache of the writer connection during generation, as a
    /// negative `PRAGMA cache_size` (KiB): 64 MiB.
    static let cacheSizeKiB = -65_536

    /// The generation options.
    public let options: Options

    /// Creates a generator.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Writes the demo data into `pool`, whose schema must exist and whose
    /// `members`, `orders` and `events` tables must be empty.
    ///
    /// While it runs, the pool's writer connection uses a 64 MiB page cache
    /// (`PRAGMA cache_size`); the previous size is restored at the end.
    ///
    /// - Parameter progress: called after each committed transaction (about
    ///   every 100,000 rows) and once at the end, on the calling thread.
    /// - Returns: the counts written and the time it took.
    /// - Throws: ``DemoGeneratorError`` for bad options or a non-empty store;
    ///   GRDB's `DatabaseError` when a write fails. Transactions committed
    ///   before a failure stay in the store.
    public func generate(into pool: DatabasePool, progress: (DemoProgress) -> Void = { _ in }) throws -> DemoSummary {
        let options = self.options
        guard options.members >= 0 else { throw DemoGeneratorError.invalidOptions("members must be >= 0") }
        guard options.eventsPerMember >= 0, options.eventsPerMember.isFinite else {
            throw DemoGeneratorError.invalidOptions("eventsPerMember must be >= 0")
        }
        guard options.ordersPerMember >= 0, options.ordersPerMember.isFinite else {
            throw DemoGeneratorError.invalidOptions("ordersPerMember must be >= 0")
        }
        let start = ContinuousClock.now
        let occupied = try pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS(SELECT 1 FROM members) OR EXISTS(SELECT 1 FROM orders) OR EXISTS(SELECT 1 FROM events)
                """) ?? false
        }
        if occupied { throw DemoGeneratorError.storeNotEmpty }

        // A bigger page cache on the writer connection while generating
        // (the random-keyed identities index and the WAL otherwise hit the
        // file system); restored afterwards.
        let previousCacheSize = try pool.writeWithoutTransaction { db in
            let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2_000
            try db.execute(sql: "PRAGMA cache_size = \(Self.cacheSizeKiB)")
            return previous
        }
        defer {
            try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = \(previousCacheSize)") }
        }

        var builder = DemoMemberBuilder(
            seed: options.seed, asOf: Int64(options.asOf.timeIntervalSince1970.rounded(.down)),
            ordersPerMember: options.ordersPerMember, eventsPerMember: options.eventsPerMember)
        let total = options.members
        if options.accounts { builder.nextAccountID = Int64(options.members) + 1 }
        var nextID = 1
        var rows = 0
        var identities = 0
        var orders = 0
        var events = 0
        var accounts = 0
        while nextID <= total {
            try pool.write { db in
                let writer = try DemoStoreWriter(db)
                var rowsInTransaction = 0
                while rowsInTransaction < Self.rowsPerTransaction, nextID <= total {
                    builder.build(id: Int64(nextID))
                    rowsInTransaction += try writer.write(builder)
                    identities += builder.identities.count + builder.accounts.reduce(0) { $0 + $1.identities.count }
                    accounts += builder.accounts.count
                    orders += builder.orders.count
                    events += builder.events.count
                    nextID += 1
                }
                rows += rowsInTransaction
            }
            progress(DemoProgress(rowsWritten: rows, membersDone: nextID - 1, membersTotal: total))
        }
        if total == 0 { progress(DemoProgress(rowsWritten: 0, membersDone: 0, membersTotal: 0)) }

        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return DemoSummary(members: total, identities: identities, orders: orders, events: events, seconds: seconds, accounts: accounts)
    }
}
