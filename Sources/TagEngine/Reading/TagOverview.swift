import GRDB

/// One line of `tagd rules`: a tag's state, versions and last run.
public struct TagOverview: Sendable, Codable {
    public var name: String
    public var state: String
    public var orphaned: Bool
    public var file: String?
    public var title: String?
    public var category: String?
    public var refresh: String?
    /// Short hash of the live version.
    public var liveVersion: String?
    /// Short hash of the newest proposal waiting for approval.
    public var pendingVersion: String?
    public var lastRun: RunSummary?

    /// A run as listed.
    public struct RunSummary: Sendable, Codable {
        public var id: Int64
        public var status: String
        public var trigger: String
        public var asOf: Int64
        public var startedAt: Double
        public var seconds: Double?
        public var members: Int
        public var covered: Int
        public var gained: Int
        public var lost: Int
        public var changed: Int
        public var error: String?

        init(row: Row) {
            id = row["id"]
            status = row["status"]
            trigger = row["trigger"]
            asOf = row["as_of"]
            let started: Double = row["started_at"]
            startedAt = started
            seconds = (row["finished_at"] as Double?).map { $0 - started }
            members = row["members"]
            covered = row["covered"]
            gained = row["gained"]
            lost = row["lost"]
            changed = row["changed"]
            error = row["error"]
        }
    }
}

extension TagRegistry {
    /// Every tag with its state, versions and last run, by name.
    public func overview() throws -> [TagOverview] {
        try pool.read { db in
            try TagRecord.order(Column("name")).fetchAll(db).map { tag in try overview(of: tag, in: db) }
        }
    }

    func overview(of tag: TagRecord, in db: Database) throws -> TagOverview {
        let live = try tag.liveVersionId.flatMap { try TagVersionRecord.fetchOne(db, key: $0) }
        let pending = try TagVersionRecord.filter(Column("tag_id") == tag.id && Column("state") == "proposed")
            .order(Column("id").desc).fetchOne(db)
        let shown = live ?? pending
        let run = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE tag_id = ? ORDER BY id DESC LIMIT 1", arguments: [tag.id])
        return TagOverview(
            name: tag.name, state: tag.state.rawValue, orphaned: tag.orphaned, file: tag.file, title: shown?.title,
            category: shown?.category, refresh: shown?.refresh, liveVersion: live?.shortHash,
            pendingVersion: pending?.shortHash, lastRun: run.map(TagOverview.RunSummary.init(row:)))
    }
}
