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

    /// Prepares `identities` under `policy` (`nil`: matched as given, empty values dropped).
    init(_ identities: [String: String], policy: IdentityPolicy?) {
        values.reserveCapacity(identities.count)
        for (channel, raw) in identities {
            let value = policy?.normalize(raw, channel: channel) ?? MemberID.normalize(raw)
            if policy?.isBlocked(value, channel: channel) ?? value.isEmpty {
                blocked += 1
                continue
            }
            let checked: String
            do {
                checked = try IngestWriter.checkedID(value, field: "identities.\(channel)")
            } catch {
                self.error = error
                return
            }
            values.append(
                Value(
                    channel: channel, value: checked, priority: policy?.priority(of: channel), limit: policy?.limits[channel],
                    hash: IngestWriter.identityHash(channel, checked)))
        }
        values.sort { ($0.priority ?? .max, $0.channel) < ($1.priority ?? .max, $1.channel) }
    }
}
