/// Progress of ``DemoGenerator/generate(into:progress:)``, reported after
/// each committed transaction (about every 100,000 rows) and once at the end.
public struct DemoProgress: Sendable, Hashable {
    /// Rows written so far, all tables together (members, identities,
    /// orders, events).
    public var rowsWritten: Int
    /// Members fully written so far (with their identities, orders, events).
    public var membersDone: Int
    /// Members requested in total.
    public var membersTotal: Int

    /// Creates a progress report.
    public init(rowsWritten: Int, membersDone: Int, membersTotal: Int) {
        self.rowsWritten = rowsWritten
        self.membersDone = membersDone
        self.membersTotal = membersTotal
    }

    /// Completed share in `0...1`, by members.
    public var fraction: Double {
        membersTotal == 0 ? 1 : Double(membersDone) / Double(membersTotal)
    }
}
