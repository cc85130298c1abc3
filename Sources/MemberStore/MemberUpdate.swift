import GRDB

/// Which fields a member record sets, and the `UPDATE` that sets exactly
/// those (plus `updated_at`).
///
/// A statement naming an indexed column rewrites that index entry even when
/// the value does not change; most records set a few fields, so one
/// statement per shape keeps the `region`, `level`, `channel` and `gender`
/// indexes out of updates that do not set them.
struct MemberUpdate: Hashable {
    /// One settable field, in binding order.
    enum Field: Int, CaseIterable {
        case channel, registeredAt, gender, region, birthday, level, attrs

        /// What the `SET` clause assigns.
        var assignment: String {
            switch self {
            case .channel: "channel = ?"
            case .registeredAt: "registered_at = ?"
            case .gender: "gender = ?"
            case .region: "region = ?"
            case .birthday: "birthday = ?"
            case .level: "level = ?"
            case .attrs: "attrs = json_patch(attrs, ?)"
            }
        }
    }

    /// The fields set, one bit each.
    let mask: Int

    /// The shape of `member`: its non-nil fields, and `attrs` when not empty.
    init(_ member: MemberInput) {
        var mask = 0
        let present: [(Field, Bool)] = [
            (.channel, member.channel != nil), (.registeredAt, member.registeredAt != nil), (.gender, member.gender != nil),
            (.region, member.region != nil), (.birthday, member.birthday != nil), (.level, member.level != nil),
            (.attrs, !member.attrs.isEmpty),
        ]
        for (field, isSet) in present where isSet { mask |= 1 << field.rawValue }
        self.mask = mask
    }

    /// Whether the shape sets `field`.
    func has(_ field: Field) -> Bool { mask & (1 << field.rawValue) != 0 }

    /// How many fields (and so `SET` parameters before `updated_at`) it sets.
    var fieldCount: Int32 { Int32(mask.nonzeroBitCount) }

    /// `UPDATE members SET <fields>, updated_at = ? WHERE id = ?`.
    var sql: String {
        let assignments = Field.allCases.filter(has).map(\.assignment) + ["updated_at = ?"]
        return "UPDATE members SET \(assignments.joined(separator: ", ")) WHERE id = ?"
    }

    /// Binds `member`'s plain fields of this shape from parameter 1 on; returns how many it bound.
    func bindFields(of member: MemberInput, to statement: RawStatement) -> Int32 {
        var index: Int32 = 0
        func next() -> Int32 {
            index += 1
            return index
        }
        if has(.channel) { statement.bind(next(), member.channel) }
        if has(.registeredAt) { statement.bind(next(), member.registeredAt) }
        if has(.gender) { statement.bind(next(), member.gender) }
        if has(.region) { statement.bind(next(), member.region) }
        if has(.birthday) { statement.bind(next(), member.birthday) }
        if has(.level) { statement.bind(next(), member.level) }
        return index
    }
}

extension IngestWriter {
    /// The prepared update for `shape` (prepared on first use).
    func memberUpdate(_ shape: MemberUpdate) throws -> RawStatement {
        if let statement = memberUpdates[shape.mask] { return statement }
        let statement = try RawStatement(db.makeStatement(sql: shape.sql))
        memberUpdates[shape.mask] = statement
        return statement
    }
}
