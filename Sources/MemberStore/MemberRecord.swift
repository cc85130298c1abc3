/// A stored member with its attributes and identities.
public struct MemberRecord: Sendable, Hashable {
    /// Row id (`members.id`), the key used by orders, events and tags.
    public var id: Int64
    /// External id (`members.external_id`).
    public var externalID: String
    /// Acquisition channel.
    public var channel: String?
    /// Registration time, epoch seconds UTC.
    public var registeredAt: Int64?
    /// Gender.
    public var gender: String?
    /// Region.
    public var region: String?
    /// Birthday (`YYYY-MM-DD` or `MM-DD`).
    public var birthday: String?
    /// Membership level.
    public var level: Int?
    /// Extra attributes (`members.attrs`).
    public var attrs: [String: JSONValue]
    /// Channel identities (channel -> id).
    public var identities: [String: String]
    /// Row creation time, epoch seconds.
    public var createdAt: Int64
    /// Last update time, epoch seconds.
    public var updatedAt: Int64
    /// When this member was merged into another (ONE-ID): the live survivor's external id.
    public var mergedInto: String?

    /// Creates a member record.
    public init(
        id: Int64, externalID: String, channel: String? = nil, registeredAt: Int64? = nil, gender: String? = nil,
        region: String? = nil, birthday: String? = nil, level: Int? = nil, attrs: [String: JSONValue] = [:],
        identities: [String: String] = [:], createdAt: Int64 = 0, updatedAt: Int64 = 0
    ) {
        self.id = id
        self.externalID = externalID
        self.channel = channel
        self.registeredAt = registeredAt
        self.gender = gender
        self.region = region
        self.birthday = birthday
        self.level = level
        self.attrs = attrs
        self.identities = identities
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
