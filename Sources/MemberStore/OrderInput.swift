/// One order row to insert into `orders`.
public struct OrderInput: Sendable, Hashable {
    /// The buying member's external id (empty when named only by ``identities``); unknown members are created.
    public var member: String
    /// Order time, epoch seconds UTC.
    public var ts: Int64
    /// Order amount (defaults to 0).
    public var amount: Double
    /// Sales channel.
    public var channel: String?
    /// Product category.
    public var category: String?
    /// Product name or SKU.
    public var product: String?
    /// Whether the product was a new launch.
    public var isNewProduct: Bool
    /// Coupon code used, if any.
    public var coupon: String?
    /// Whether the order was paid (defaults to `true`).
    public var paid: Bool
    /// Custom columns (an import's extra columns, an ingest's extra keys, or
    /// a `props` object), stored as a JSON object in `orders.props`.
    public var props: [String: JSONValue]
    /// Idempotency key (`orders.order_key`, the `id` column of an import):
    /// a second order with the same key is ignored and counted as a duplicate.
    public var key: String?
    /// Channel identities naming the member (channel -> id), resolved by the identity rules.
    public var identities: [String: String] = [:]

    /// Creates an order input.
    public init(
        member: String, ts: Int64, amount: Double = 0, channel: String? = nil,
        category: String? = nil, product: String? = nil, isNewProduct: Bool = false,
        coupon: String? = nil, paid: Bool = true, key: String? = nil, props: [String: JSONValue] = [:],
        identities: [String: String] = [:]
    ) {
        self.identities = identities
        self.member = member
        self.ts = ts
        self.amount = amount
        self.channel = channel
        self.category = category
        self.product = product
        self.isNewProduct = isNewProduct
        self.coupon = coupon
        self.paid = paid
        self.key = key
        self.props = props
    }
}
