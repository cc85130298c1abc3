/// The kind of records in an import file or ingest batch.
public enum RecordKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Member master data (`members`, `identities`).
    case members
    /// Orders (`orders`).
    case orders
    /// Behaviour events (`events`).
    case events

    /// `members`, `orders` or `events`.
    public var description: String { rawValue }
}

/// One decoded input record of any kind.
public enum IngestRecord: Sendable, Hashable {
    /// A member upsert.
    case member(MemberInput)
    /// An order insert.
    case order(OrderInput)
    /// An event insert.
    case event(EventInput)

    /// The kind of this record.
    public var kind: RecordKind {
        switch self {
        case .member: .members
        case .order: .orders
        case .event: .events
        }
    }
}
