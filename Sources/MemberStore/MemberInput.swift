/// One member row to upsert into `members` (keyed by external id).
///
/// `nil` fields are left untouched when the member already exists; `attrs`
/// is merged into the stored object (JSON merge-patch: a `null` value removes
/// the key); `identities` are upserted into `identities`.
public struct MemberInput: Sendable, Hashable {
    /// The member's external id (`members.external_id`), e.g. the CRM id;
    /// empty when the member is named only by ``identities``.
    public var externalID: String
    /// Acquisition channel.
    public var channel: String?
    /// Registration time, epoch seconds UTC.
    public var registeredAt: Int64?
    /// Gender, free text (`f`, `m`, …).
    public var gender: String?
    /// Region, free text.
    public var region: String?
    /// Birthday as `YYYY-MM-DD` or `MM-DD`.
    public var birthday: String?
    /// Membership level.
    public var level: Int?
    /// Extra attributes, merged into `members.attrs`.
    public var attrs: [String: JSONValue]
    /// Channel identities (channel -> id in that channel), e.g. `["wechat": "wx_1"]`.
    public var identities: [String: String]

    /// Creates a member input; only `externalID` is required.
    public init(
        externalID: String, channel: String? = nil, registeredAt: Int64? = nil,
        gender: String? = nil, region: String? = nil, birthday: String? = nil,
        level: Int? = nil, attrs: [String: JSONValue] = [:], identities: [String: String] = [:]
    ) {
        self.externalID = externalID
        self.channel = channel
        self.registeredAt = registeredAt
        self.gender = gender
        self.region = region
        self.birthday = birthday
        self.level = level
        self.attrs = attrs
        self.identities = identities
    }
}
