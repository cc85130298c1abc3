/// What ``DemoGenerator/generate(into:progress:)`` wrote.
public struct DemoSummary: Sendable, Hashable, CustomStringConvertible {
    /// Members written (ids `1...members`).
    public var members: Int
    /// Channel identities written.
    public var identities: Int
    /// Orders written.
    public var orders: Int
    /// Events written.
    public var events: Int
    /// Wall-clock duration of the generation, in seconds.
    public var seconds: Double
    /// Further channel accounts written (member rows of their own, ``DemoGenerator/Options/accounts``).
    public var accounts: Int

    /// Creates a summary.
    public init(members: Int, identities: Int, orders: Int, events: Int, seconds: Double, accounts: Int = 0) {
        self.members = members
        self.identities = identities
        self.orders = orders
        self.events = events
        self.seconds = seconds
        self.accounts = accounts
    }

    /// All rows written (members, accounts, identities, orders, events).
    public var rows: Int { members + accounts + identities + orders + events }

    /// Rows written per second.
    public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }

    /// One line, e.g. `generated 20,000 members, 60,213 orders, 199,870
    /// events in 1.4 s`.
    public var description: String {
        let duration = seconds < 10 ? String(Double((seconds * 10).rounded()) / 10) : String(Int(seconds.rounded()))
        let extra = accounts > 0 ? " (and \(Self.grouped(accounts)) more channel accounts of the same people)" : ""
        return "generated \(Self.grouped(members)) members\(extra), \(Self.grouped(orders)) orders, "
            + "\(Self.grouped(events)) events in \(duration) s"
    }

    /// `n` with `,` thousands separators, independent of the locale.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}
