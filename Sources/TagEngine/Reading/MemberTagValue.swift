import GRDB

/// A live tag value of one member.
public struct MemberTagValue: Sendable, Codable {
    /// The tag name.
    public var tag: String
    /// The live value.
    public var value: String
    /// When the member got this value (the run's as-of time).
    public var since: Int64
    /// The run that set the value; `nil` when none is recorded.
    public var runID: Int64?
}

extension TagRegistry {
    /// The live tags of store member `memberID`, by tag name.
    public func tags(ofMember memberID: Int64) throws -> [MemberTagValue] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.name, mt.value, mt.since, mt.run_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id
                    WHERE mt.member_id = ? ORDER BY t.name
                    """,
                arguments: [memberID]
            ).map { MemberTagValue(tag: $0[0], value: $0[1], since: $0[2], runID: $0[3]) }
        }
    }
}
