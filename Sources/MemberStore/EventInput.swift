/// One behaviour event to insert into `events`.
public struct EventInput: Sendable, Hashable {
    /// The member's external id (empty when named only by ``identities``); unknown members are created.
    public var member: String
    /// Event time, epoch seconds UTC.
    public var ts: Int64
    /// Event type, lowercase snake case by convention
    /// (`browse`, `cart`, `favourite`, `search`, `sign_in`, `share`, `coupon_claim`, …).
    public var type: String
    /// Category browsed / carted, if any.
    public var category: String?
    /// Search keyword, if any.
    public var keyword: String?
    /// Extra properties, stored as a JSON object in `events.props`.
    public var props: [String: JSONValue]
    /// Idempotency key (`events.event_key`, the `id` column of an import).
    public var key: String?
    /// Channel identities naming the member (channel -> id), resolved by the identity rules.
    public var identities: [String: String] = [:]

    /// Creates an event input.
    public init(
        member: String, ts: Int64, type: String, category: String? = nil,
        keyword: String? = nil, props: [String: JSONValue] = [:], key: String? = nil, identities: [String: String] = [:]
    ) {
        self.identities = identities
        self.member = member
        self.ts = ts
        self.type = type
        self.category = category
        self.keyword = keyword
        self.props = props
        self.key = key
    }
}
