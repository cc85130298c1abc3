/// A record's channel identities as ``IngestWriter`` resolves them:
/// normalised by the identity rules, blocked values dropped, merge keys
/// first (by priority), then the other channels by name, each with what
/// the writer asks of it (priority, limit, filter hash).
///
/// Pure work on the record alone, so an import prepares it on its reader
/// thread (``RecordProducer``) and the writer only matches and stores.
struct PreparedIdentities: Sendable {
    /// One normalised identity value.
    struct Value: Sendable {
        let channel: String
        let value: String
        /// Its merge-key priority (0 highest), `nil` for a channel that only names its member.
        let priority: Int?
        /// The most values of its channel one member may hold, if limited.
        let limit: Int?
        /// ``IngestWriter/identityHash(_:_:)`` of channel and value.
        let hash: UInt64
    }

    /// The values in resolution order.
    private(set) var values: [Value] = []
    /// Values dropped as blocked or empty.
    private(set) var blocked = 0
    /// The first value that is no valid id (values after it are not prepared).
    private(set) var error: FieldError?

    /// Prepares `identities` under a policy's rules by channel (`nil`: matched as given, empty values dropped).
    init(_ identities: [String: String], rules: IdentityChannelRules?) {
        values.reserveCapacity(identities.count)
        if let rules {
            for (channel, raw) in identities {
                let rule = rules[channel]
                let value = rule.normalize(raw)
                if rule.isBlocked(value) {
                    blocked += 1
                } else if !append(channel, value, priority: rule.priority, limit: rule.limit) {
                    return
                }
            }
        } else {
            for (channel, raw) in identities {
                let value = MemberID.normalize(raw)
                if value.isEmpty {
                    blocked += 1
                } else if !append(channel, value, priority: nil, limit: nil) {
                    return
                }
            }
        }
        values.sort { ($0.priority ?? .max, $0.channel) < ($1.priority ?? .max, $1.channel) }
    }

    /// Appends a value that is not blocked, checked as an id; `false` (and ``error`` set) when it is not valid.
    private mutating func append(_ channel: String, _ value: String, priority: Int?, limit: Int?) -> Bool {
        let checked: String
        do {
            checked = try IngestWriter.checkedID(value, field: "identities.\(channel)")
        } catch {
            self.error = error
            return false
        }
        values.append(Value(channel: channel, value: checked, priority: priority, limit: limit, hash: IngestWriter.identityHash(channel, checked)))
        return true
    }
}
