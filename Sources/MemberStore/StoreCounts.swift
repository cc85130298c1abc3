import GRDB

/// Row counts of the member-side tables.
public struct StoreCounts: Sendable, Hashable, CustomStringConvertible {
    /// Rows in `members`.
    public var members: Int
    /// Rows in `identities`.
    public var identities: Int
    /// Rows in `orders`.
    public var orders: Int
    /// Rows in `events`.
    public var events: Int

    /// Creates counts.
    public init(members: Int, identities: Int, orders: Int, events: Int) {
        self.members = members
        self.identities = identities
        self.orders = orders
        self.events = events
    }

    /// `members 10, identities 2, orders 300, events 40`.
    public var description: String {
        "members \(members), identities \(identities), orders \(orders), events \(events)"
    }
}

extension MemberStore {
    /// Counts members, identities, orders and events.
    public func counts() throws(StoreError) -> StoreCounts {
        try read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return StoreCounts(
                members: try count("members"), identities: try count("identities"),
                orders: try count("orders"), events: try count("events"))
        }
    }
}
