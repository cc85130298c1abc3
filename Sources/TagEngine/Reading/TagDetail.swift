import GRDB

/// What `tagd tag NAME` shows: definition, state, coverage, value counts, runs.
public struct TagDetail: Sendable, Codable {
    /// The tag's line in `tagd rules`: state, versions, last run.
    public var overview: TagOverview
    /// The live version's owner; `nil` without a live version.
    public var owner: String?
    /// The value kind the live version declares (`flag`, `enum`, `score`, `label`); `nil` without one.
    public var kind: String?
    /// Who approved the live version; `nil` without one.
    public var approvedBy: String?
    /// When the live version was approved (epoch seconds UTC); `nil` without one.
    public var approvedAt: Int64?
    /// Members holding the tag now.
    public var holders: Int
    /// All members.
    public var members: Int
    /// Live values with their counts, most frequent first.
    public var values: [RunReport.ValueCount]
    /// The latest runs, newest first.
    public var runs: [TagOverview.RunSummary]
    /// The live version's script.
    public var source: String?
}

extension TagRegistry {
    /// The detail of tag `name`.
    public func detail(name: String, runs limit: Int = 10) throws -> TagDetail {
        try pool.read { db in
            guard let tag = try TagRecord.filter(Column("name") == name).fetchOne(db), let tagID = tag.id else {
                throw LifecycleError("no tag named \"\(name)\" (see tagd rules)", kind: .notFound)
            }
            let live = try tag.liveVersionId.flatMap { try TagVersionRecord.fetchOne(db, key: $0) }
            let values = try Row.fetchAll(
                db, sql: "SELECT value, count(*) AS n FROM member_tags WHERE tag_id = ? GROUP BY value ORDER BY n DESC, value",
                arguments: [tagID]
            ).map { RunReport.ValueCount(value: $0["value"], count: $0["n"]) }
            let runs = try Row.fetchAll(
                db, sql: "SELECT * FROM runs WHERE tag_id = ? ORDER BY id DESC LIMIT ?", arguments: [tagID, limit]
            ).map(TagOverview.RunSummary.init(row:))
            return TagDetail(
                overview: try overview(of: tag, in: db), owner: live?.owner, kind: live?.valueKind,
                approvedBy: live?.decidedBy, approvedAt: live?.decidedAt, holders: values.reduce(0) { $0 + $1.count },
                members: try Int.fetchOne(db, sql: "SELECT count(*) FROM members WHERE merged_into IS NULL") ?? 0, values: values, runs: runs,
                source: live?.source)
        }
    }
}
