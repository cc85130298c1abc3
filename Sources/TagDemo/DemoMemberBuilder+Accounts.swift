extension DemoMemberBuilder {
    /// A further channel account of the member's person: a member row of
    /// its own that the shipped identity rules merge into the member.
    struct Account {
        var id: Int64
        var externalID: String
        var registeredAt: Int64
        var identities: [(channel: String, value: String)]
    }

    /// Gives a member that has a phone identity the further accounts of
    /// ``PersonAccounts`` (0 to 3, on channels other than its own `jd`, whose
    /// limit would block the merge), registered after it, from a random
    /// stream of their own so the member itself is built as without them.
    /// Its orders and events are spread over itself and the accounts that
    /// carry its real phone: those always merge into it (the earliest
    /// registration survives), so after `tagd identity resolve` it holds the
    /// same rows as a member generated without accounts. Accounts that type
    /// the placeholder phone, or none, hold nothing.
    /// One pair of people in 10 is a family sharing an e-mail: enough pairs
    /// for the demo to hold some as merge candidates (different phones).
    static let familyEvery = 20

    mutating func makeAccounts() {
        accounts.removeAll(keepingCapacity: true)
        orderAccounts.removeAll(keepingCapacity: true)
        eventAccounts.removeAll(keepingCapacity: true)
        guard var next = nextAccountID,
            let phone = identities.first(where: { $0.channel == DemoCatalog.idPhone })?.value
        else { return }
        var random = DemoRandom(seed: seed, stream: UInt64(member.id) | 1 << 62)
        let person = PersonAccounts(person: Int(member.id), phone: phone, familyEvery: Self.familyEvery)
        let hasJD = identities.contains { $0.channel == DemoCatalog.idJD }
        var holders = [0]
        var used = Set(identities.map { DemoCatalog.identityChannels[$0.channel] + ":" + $0.value })
        for channel in PersonAccounts.channels(count: PersonAccounts.count(&random) - 1, &random) where !(hasJD && channel == 1) {
            let account = person.account(channel, &random)
            let registered = random.int64(member.registeredAt + 1, max(member.registeredAt + 1, asOf))
            let family = member.id % Int64(Self.familyEvery) == 1
            var stored = account.identities.compactMap { identity in
                Self.spellings(of: identity, phone: phone, family: family).first { used.insert($0.channel + ":" + $0.value).inserted }
            }
            // A family's e-mail (either person's accounts) links only accounts that also hold a
            // phone: two people, held as a candidate pair, never merged.
            let shared = family || member.id % Int64(Self.familyEvery) == 0
            if shared, !stored.contains(where: { $0.channel == "phone" }) { stored.removeAll { $0.channel == "email" } }
            accounts.append(Account(id: next, externalID: account.id, registeredAt: registered, identities: stored))
            next += 1
            if stored.contains(where: { $0.channel == "phone" }) {
                holders.append(accounts.count)
            }
        }
        nextAccountID = next
        guard holders.count > 1 else { return }
        orderAccounts = orders.map { _ in holders[random.below(holders.count)] }
        eventAccounts = events.map { _ in holders[random.below(holders.count)] }
    }

    /// Ways to store an identity that the shipped rules normalise alike, the
    /// typed one first: an identity row is unique, so a person's second
    /// account typing the same phone or e-mail is stored spelled otherwise
    /// (what an import would match to the first), and a family's shared
    /// e-mail is padded with blanks. A placeholder phone, blocked anyway, is
    /// not stored (an import drops it too); a repeated unionid neither.
    static func spellings(of identity: (channel: String, value: String), phone: String, family: Bool) -> [(channel: String, value: String)] {
        switch identity.channel {
        case "phone" where identity.value == PersonAccounts.placeholderPhone: return []
        case "phone": return ([identity.value] + (0..<4).map { PersonAccounts.spelling(phone, $0) }).map { ("phone", $0) }
        case "email":
            let pad = family ? "  " : ""
            let value = identity.value.lowercased()
            return [identity.value, value.uppercased(), value, " " + value, " " + value.uppercased()].map { ("email", pad + $0) }
        default: return [identity]
        }
    }
}
