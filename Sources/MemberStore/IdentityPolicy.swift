/// The identity rules in force (from the approved `rules/identity.lua`):
/// which channels link members and in what priority, how values are
/// normalised, per-channel limits, blocked values and what a conflict does.
///
/// Identity values are data: they are bound as SQL parameters and never
/// reach Lua.
public struct IdentityPolicy: Sendable, Hashable {
    /// What a record linking two members that would break a limit does.
    public enum ConflictPolicy: String, Sendable, Hashable {
        /// Merge anyway.
        case merge
        /// Hold the pair as a merge candidate for a person to decide.
        case candidate
    }

    /// Which of two merging members survives.
    public enum SurvivorRule: String, Sendable, Hashable {
        /// The earlier `registered_at` (unknown counts as latest), then the lower row id.
        case earliestRegistration = "earliest_registration"
        /// The member stored first (lower row id).
        case firstSeen = "first_seen"
    }

    /// How the survivor's attributes are combined with the absorbed member's.
    public enum AttributePolicy: String, Sendable, Hashable {
        /// The survivor's values win; its empty fields and missing attribute keys are filled from the absorbed member.
        case survivor
        /// The more recently updated member's values win, field by field; gaps filled from the other.
        case newest
    }

    /// Merge keys, highest priority first.
    public var keys: [String]
    /// Normalisers by channel (others: ``IdentityNormalizer/asGiven``).
    public var normalizers: [String: IdentityNormalizer]
    /// At most this many values of a channel per member (`member` limits external ids).
    public var limits: [String: Int]
    /// Blocked values by channel, already normalised; `*` blocks on every channel.
    public var blocked: [String: Set<String>]
    /// What a conflict does.
    public var onConflict: ConflictPolicy
    /// Which member survives a merge.
    public var survivor: SurvivorRule
    /// How attributes combine.
    public var attributes: AttributePolicy
    /// At most this many merges into one member (further links become candidates).
    public var maxMerges: Int
    /// The approved version's hash, recorded with each merge it makes.
    public var version: String?

    /// Creates a policy.
    public init(
        keys: [String], normalizers: [String: IdentityNormalizer] = [:], limits: [String: Int] = [:],
        blocked: [String: Set<String>] = [:], onConflict: ConflictPolicy = .candidate,
        survivor: SurvivorRule = .earliestRegistration, attributes: AttributePolicy = .survivor, maxMerges: Int = 100,
        version: String? = nil
    ) {
        self.keys = keys
        self.normalizers = normalizers
        self.limits = limits
        self.blocked = blocked
        self.onConflict = onConflict
        self.survivor = survivor
        self.attributes = attributes
        self.maxMerges = maxMerges
        self.version = version
    }

    /// `value` of `channel` normalised (after NFC).
    public func normalize(_ value: String, channel: String) -> String {
        (normalizers[channel] ?? .asGiven).normalize(MemberID.normalize(value))
    }

    /// Whether a normalised value is blocked (the empty string always is).
    public func isBlocked(_ value: String, channel: String) -> Bool {
        value.isEmpty || blocked[channel]?.contains(value) == true || blocked["*"]?.contains(value) == true
    }

    /// The priority of a merge key (0 highest), or `nil` for a channel that never links members.
    public func priority(of channel: String) -> Int? { keys.firstIndex(of: channel) }
}
