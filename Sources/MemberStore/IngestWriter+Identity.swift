import GRDB

extension IngestWriter {
    /// Resolves the member a record names by its external id and/or channel
    /// identities, creating it when nothing matches. Identities are
    /// normalised and blocked values dropped by the policy; a record linking
    /// several members merges them when the rules allow it (the survivor by
    /// the policy's rule), else it is stored against the highest-priority
    /// match and the conflict is reported (and, with `candidate`, the pair
    /// held for a person). Returns the live member and, when the record named
    /// an absorbed member by its old id, that member (the rows' origin).
    /// A member created because nothing matched gets `fields` (a member record's).
    func resolve(
        externalID: String, identities: [String: String], field: String = "member", fields: MemberInput? = nil,
        prepared: PreparedIdentities? = nil
    ) throws -> (member: Int64, origin: Int64?) {
        if identities.isEmpty { return try member(for: externalID, field: field) }
        var matches: [Int64] = []
        var origin: Int64?
        if !externalID.isEmpty {
            let named = try member(for: externalID, field: field)
            matches.append(named.member)
            origin = named.origin
        }
        let values = try normalized(prepared ?? PreparedIdentities(identities, rules: rules))
        // Merge keys link members; any other channel only names its member.
        var named: [Int64] = []
        var owners: [Int64?] = []
        owners.reserveCapacity(values.count)
        for identity in values {
            let found = try owner(identity)
            owners.append(found)
            guard let owner = found, !matches.contains(owner), !named.contains(owner) else { continue }
            if !hasPolicy || identity.priority != nil { matches.append(owner) } else { named.append(owner) }
        }
        var target: Int64
        var created = false
        if let first = matches.first ?? named.first {
            target = first
        } else {
            guard let first = values.first else {
                throw FieldError(field: "identities", reason: "every identity is blocked or empty, so the record names no member")
            }
            target = try createMember(named: first.channel + ":" + first.value, fields: fields)
            created = true
        }
        for other in matches.dropFirst() where other != target { target = try link(target, other) }
        for other in named where other != target {
            try conflict(target, other, channel: "*", reason: "the record names two members, one by a channel that is not a merge key; not merged")
        }
        try attach(values, owners: owners, to: target, isNew: created)
        return (target, origin)
    }

    /// The live member with this external id (created when unknown) and, if the id is an absorbed member's, that member.
    func member(for externalID: String, field: String) throws -> (member: Int64, origin: Int64?) {
        let externalID = try Self.checkedID(externalID, field: field)
        if let known = try existingMember(for: externalID) { return known }
        return (try createMember(named: externalID, checked: true), nil)
    }

    /// Inserts a member, bare or with `fields` (a member record's, as a bare
    /// insert then ``write(_:)-(MemberInput)``'s update would store them);
    /// a generated name (`phone:+86...`) that is taken or too long gets a suffix.
    func createMember(named name: String, checked: Bool = false, fields: MemberInput? = nil) throws -> Int64 {
        var externalID = name
        if !checked, MemberID.problem(with: externalID) != nil { externalID = "id:" + Self.fnv(name) }
        var suffix = 2
        var inserted = try insert(externalID, fields: fields)
        while inserted == nil {
            guard !checked else { throw StoreError.database(reason: "member \(externalID) exists already") }
            externalID = name.prefix(400) + "#\(suffix)"
            suffix += 1
            inserted = try insert(externalID, fields: fields)
        }
        let id = inserted ?? 0
        // A name given by the input is cached; one generated from an identity is rarely named again (the store answers).
        if checked { remember(externalID, id) }
        counts.createdMembers += 1
        return id
    }

    /// Writes identity `value` of `channel` for member `member` with `statement`
    /// (an insert or an upsert of `identities`), and counts it.
    func store(_ channel: String, _ value: String, of member: Int64, with statement: RawStatement, hash: UInt64? = nil) throws {
        // Hashed once, and only for the import's table or filter.
        let tracked = pendingIdentities != nil || identityFilter != nil
        let hash = tracked ? hash ?? Self.identityHash(channel, value) : 0
        // An upsert may move a pending identity: its holder's rows are written first.
        if let holder = pendingIdentities?.owner(channel: channel, value: value, hash: hash) { try writePending(of: holder) }
        try statement.executeIdentity(channel, value, member: member)
        noteStoredRows(of: member)
        if pendingIdentities != nil {
            pendingIdentities?.noteWritten(channel: channel, value: value, hash: hash)
        } else if identityFilter != nil {
            noteIdentity(hash)
        }
        count { $0.identities += 1 }
    }

    /// Inserts a member named `externalID`: its row id, or `nil` when the name is taken.
    private func insert(_ externalID: String, fields: MemberInput?) throws -> Int64? {
        let insert: RawStatement
        if let fields {
            insert = statements.insertResolvedMember
            insert.reset()
            insert.bind(1, externalID)
            insert.bindFields(of: fields, from: 2)
            insert.bind(8, fields.attrs.isEmpty ? nil : JSONValue.jsonString(of: fields.attrs))
            insert.bind(9, now)
            try insert.executeDirectly()
        } else {
            insert = statements.insertBareMember
            insert.reset()
            insert.bind(1, externalID)
            insert.bind(2, now)
            insert.bind(3, now)
            try insert.executeDirectly()
        }
        return insert.changes > 0 ? insert.lastInsertedRowID : nil
    }

    /// The prepared identities' values, counting the blocked ones; throws the first invalid one's error.
    func normalized(_ prepared: PreparedIdentities) throws -> [PreparedIdentities.Value] {
        counts.blockedIdentities += prepared.blocked
        if let error = prepared.error { throw error }
        return prepared.values
    }

    /// The member holding an identity.
    func owner(_ identity: PreparedIdentities.Value) throws -> Int64? {
        // The import knows every identity it wrote; the filter holds those stored before it.
        switch pendingIdentities?.holder(channel: identity.channel, value: identity.value, hash: identity.hash) {
        case .pending(let member): return member
        case .written: break
        case .absent, nil: if let filter = identityFilter, !filter.mayContain(identity.hash) { return nil }
        }
        let select = statements.selectIdentity
        select.reset()
        select.bind(1, identity.channel)
        select.bind(2, identity.value)
        return try select.fetchPair()?.0
    }

    /// Links members `target` and `other` named by one record: merges them
    /// or reports the conflict. Returns the member the record belongs to.
    func link(_ target: Int64, _ other: Int64) throws -> Int64 {
        guard let policy else {
            try conflict(target, other, channel: "*", reason: "no identity rules are approved, so members are never merged")
            return target
        }
        // Two members of this import holding nothing in the store merge in memory; else
        // the limits below and the merge read both members' identities in the store.
        let inMemory = isHeldOnly(target) && isHeldOnly(other)
        if !inMemory {
            try writePending(of: target)
            try writePending(of: other)
        }
        let merger = IdentityMerger(db: db, now: now)
        let count = statements.countMerges
        count.reset()
        count.bind(1, target)
        count.bind(2, other)
        let merges = Int(try count.fetchPair()?.0 ?? 0)
        if merges + 1 > policy.maxMerges {
            try conflict(target, other, channel: "*", reason: "more than \(policy.maxMerges) merges into one member (max_merges); held as a merge candidate", hold: true)
            return target
        }
        let held = try inMemory ? pendingIdentities?.counts(of: target, other) ?? [:] : heldIdentities(of: target, other)
        if let (channel, limit) = Self.limitConflict(held, policy: policy), policy.onConflict == .candidate {
            try conflict(
                target, other, channel: channel,
                reason: "both members hold a different \(channel) (limit \(limit)); held as a merge candidate", hold: true)
            return target
        }
        let (survivor, absorbed) = try merger.survivor(of: target, other, rule: policy.survivor)
        let id = try merger.merge(
            survivor: survivor, absorbed: absorbed, reason: "identity rules", actor: actor, ruleVersion: policy.version,
            attributes: policy.attributes, rowsInStore: !inMemory)
        if inMemory { pendingIdentities?.move(from: absorbed, to: survivor) }
        forgetMembers()
        logChange(survivor)
        logChange(absorbed)
        counts.merges += 1
        mergeIDs.append(id)
        touched.insert(survivor)
        return survivor
    }

    /// How many values of each channel members `a` and `b` hold together in the store.
    func heldIdentities(of a: Int64, _ b: Int64) throws -> [String: Int] {
        var held: [String: Int] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT channel, count(DISTINCT external_id) FROM identities WHERE member_id IN (?, ?) GROUP BY channel"),
            arguments: [a, b])
        {
            held[row[0]] = row[1]
        }
        return held
    }

    /// The first channel (by priority) whose limit two members' identities together (`held`, by channel) exceed.
    static func limitConflict(_ held: [String: Int], policy: IdentityPolicy) -> (String, Int)? {
        var held = held
        held["member"] = 2
        let channels = policy.limits.keys.sorted { (policy.priority(of: $0) ?? .max, $0) < (policy.priority(of: $1) ?? .max, $1) }
        for channel in channels {
            if let limit = policy.limits[channel], (held[channel] ?? 0) > limit { return (channel, limit) }
        }
        return nil
    }

    /// Stores the record's identities on `target`, within the policy's
    /// limits. `owners` are their holders found before any merge of this
    /// record (a merge moves identities but adds none); `isNew`: `target`
    /// was created for this record and holds nothing yet.
    func attach(_ values: [PreparedIdentities.Value], owners: [Int64?], to target: Int64, isNew: Bool) throws {
        for (index, identity) in values.enumerated() {
            let channel = identity.channel
            if owners[index] != nil {
                // A key's holder is the target or was merged into it, or the record named several members.
                if identity.priority == nil, let holder = try owner(identity), holder != target {
                    try conflict(target, holder, channel: channel, reason: "the \(channel) is held by another member and is not a merge key")
                }
                continue
            }
            if let limit = identity.limit {
                let held = isNew ? 0 : try heldIdentities(of: target, channel: channel)
                if held >= limit {
                    try conflict(target, nil, channel: channel, reason: "the member already holds \(held) \(channel) (limit \(limit)); not added")
                    continue
                }
            }
            if pendingIdentities != nil {
                pendingIdentities?.add(channel: channel, value: identity.value, member: target, hash: identity.hash)
                count { $0.identities += 1 }
            } else {
                try store(channel, identity.value, of: target, with: statements.insertIdentity, hash: identity.hash)
            }
        }
    }

    /// How many values of `channel` member `id` holds.
    private func heldIdentities(of id: Int64, channel: String) throws -> Int {
        let pending = pendingIdentities?.count(of: id, channel: channel) ?? 0
        // A member of this import that wrote nothing to the store holds its pending rows alone.
        if isHeldOnly(id) { return pending }
        let count = statements.countIdentities
        count.reset()
        count.bind(1, id)
        count.bind(2, channel)
        return Int(try count.fetchPair()?.0 ?? 0) + pending
    }

    /// Reports a conflict (the first ``conflictReportLimit``) and, with `hold`, records the pair as a candidate.
    func conflict(_ member: Int64, _ other: Int64?, channel: String, reason: String, hold: Bool = false) throws {
        counts.conflicts += 1
        if hold, let other {
            try db.cachedStatement(sql: """
                    INSERT INTO identity_candidates(member_a, member_b, channel, reason, at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(member_a, member_b) DO NOTHING
                    """).execute(arguments: [min(member, other), max(member, other), channel, reason, now])
        }
        guard conflicts.count < Self.conflictReportLimit else { return }
        let names = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(db.cachedStatement(sql: "SELECT id, external_id FROM members WHERE id IN (?, ?)"), arguments: [member, other ?? member]
            ).map { ($0[0] as Int64, $0[1] as String) })
        conflicts.append(
            IdentityConflict(member: names[member] ?? "\(member)", other: other.flatMap { names[$0] }, channel: channel, reason: reason))
    }

    /// Conflicts reported in full per writer (all are counted).
    public static let conflictReportLimit = 100

    /// FNV-1a 64 of `text` in hex (a stable name for a member named by an over-long identity).
    static func fnv(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
