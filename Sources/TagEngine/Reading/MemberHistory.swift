import GRDB

/// One change of one tag's value for a member, newest first in a
/// ``MemberHistory``.
public struct MemberHistoryEntry: Sendable, Codable, Equatable {
    /// The tag's name.
    public var tag: String
    /// `gained`, `lost` or `changed`.
    public var change: String
    /// The value before (none for `gained`).
    public var old: String?
    /// The value after (none for `lost`).
    public var new: String?
    /// When (epoch seconds: the run's as-of, or the realtime write's time).
    public var at: Int64
    /// The run that wrote it (none for merges, splits and retirements).
    public var runID: Int64?
    /// Why, when not a run (`merged`, `split`, `retired`, ...).
    public var reason: String?
}

/// A member's tag history across every tag, for profiles and the catalog.
///
/// `tag_history` is indexed by `(tag_id, member_id)`, so that a run's rows
/// land in its tag's part of the index (see the `v11-history-by-tag`
/// migration); a member's rows are found with one index probe per tag.
public enum MemberHistory {
    /// The newest `limit` history rows of `memberID`, newest first.
    public static func entries(memberID: Int64, limit: Int, in db: Database) throws -> [MemberHistoryEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT t.name, h.change, h.old_value, h.new_value, h.at, h.run_id, h.reason
                FROM tags t CROSS JOIN tag_history h INDEXED BY tag_history_tag_member
                WHERE h.tag_id = t.id AND h.member_id = ? ORDER BY h.id DESC LIMIT ?
                """, arguments: [memberID, limit]
        ).map { row in
            MemberHistoryEntry(
                tag: row[0], change: row[1], old: row[2], new: row[3], at: row[4], runID: row[5], reason: row[6])
        }
    }
}
