/// An ``IdentityPolicy`` looked up by channel: each channel's normaliser,
/// merge-key priority, limit and blocked values (its own and those blocked
/// on every channel, `*`) in one entry, so preparing a record's identities
/// (``PreparedIdentities``) costs one look-up per identity instead of five.
struct IdentityChannelRules: Sendable {
    /// What the policy says of one channel.
    struct Channel: Sendable {
        /// Its normaliser (``IdentityNormalizer/asGiven`` unless the policy names one).
        let normalizer: IdentityNormalizer
        /// Its merge-key priority (0 highest), `nil` for a channel that never links members.
        let priority: Int?
        /// The most values of it one member may hold, if limited.
        let limit: Int?
        /// Its blocked values, already normalised, with those of `*`.
        let blocked: Set<String>
    }

    private let channels: [String: Channel]
    /// A channel the policy does not name: as given, no key, no limit, the values of `*` blocked.
    private let other: Channel

    /// The rules of `policy`, by channel.
    init(_ policy: IdentityPolicy) {
        let everywhere = policy.blocked["*"] ?? []
        other = Channel(normalizer: .asGiven, priority: nil, limit: nil, blocked: everywhere)
        let named = Set(policy.keys).union(policy.normalizers.keys).union(policy.limits.keys).union(policy.blocked.keys)
        channels = Dictionary(uniqueKeysWithValues: named.map { channel in
            (channel, Channel(
                normalizer: policy.normalizers[channel] ?? .asGiven, priority: policy.priority(of: channel), limit: policy.limits[channel],
                blocked: everywhere.union(policy.blocked[channel] ?? [])))
        })
    }

    /// The rules of `channel`.
    subscript(channel: String) -> Channel {
        channels[channel] ?? other
    }
}

extension IdentityChannelRules.Channel {
    /// `value` normalised (after NFC), as ``IdentityPolicy/normalize(_:channel:)``.
    func normalize(_ value: String) -> String {
        normalizer.normalize(MemberID.normalize(value))
    }

    /// Whether a normalised value is blocked (the empty string always is), as ``IdentityPolicy/isBlocked(_:channel:)``.
    func isBlocked(_ value: String) -> Bool {
        value.isEmpty || blocked.contains(value)
    }
}
