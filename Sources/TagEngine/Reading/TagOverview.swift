import Foundation
import GRDB

/// One line of `tagd rules`: a tag's state, versions and last run.
public struct TagOverview: Sendable, Codable {
    /// The tag name.
    public var name: String
    /// The lifecycle state (a ``TagState`` raw value).
    public var state: String
    /// Whether the tag is active but its rule file is gone.
    public var orphaned: Bool
    /// The rule file it was last seen in, relative to the rules directory.
    public var file: String?
    /// The title of the live version, else of the newest proposal; `nil` when there is neither.
    public var title: String?
    /// The category path of the live version, else of the newest proposal.
    public var category: String?
    /// The refresh cycle of the live version, else of the newest proposal.
    public var refresh: String?
    /// Short hash of the live version.
    public var liveVersion: String?
    /// Short hash of the newest proposal waiting for approval.
    public var pendingVersion: String?
    /// The newest run; `nil` when the tag never ran.
    public var lastRun: RunSummary?

    /// A run as listed.
    public struct RunSummary: Sendable, Codable {
        /// The run id in `runs`.
        public var id: Int64
        /// `running`, `succeeded` or `failed`.
        public var status: String
        /// What started it: `schedule`, `cli`, `due`, `realtime`, `realtime-full`, `demo` or `bench`.
        public var trigger: String
        /// The as-of time evaluated at (epoch seconds UTC).
        public var asOf: Int64
        /// When it started (epoch seconds UTC, fractional).
        public var startedAt: Double
        /// How long it took, in seconds; `nil` while running.
        public var seconds: Double?
        /// Members evaluated.
        public var members: Int
        /// Members with a value.
        public var covered: Int
        /// Members that got a value they did not have.
        public var gained: Int
        /// Members whose value was removed.
        public var lost: Int
        /// Members whose value changed to another one.
        public var changed: Int
        /// Why it failed; `nil` unless it failed.
        public var error: String?
        /// `full` or `incremental` (`nil` for realtime runs and runs before change tracking).
        public var kind: String?
        /// Members the run evaluated (all of them for a full run).
        public var evaluated: Int?
        /// Members re-computed or re-evaluated, by reason.
        public var reasons: [String: Int]?

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
            kind = row["kind"]
            evaluated = row["evaluated"]
            reasons = (row["reasons"] as String?).flatMap { try? JSONDecoder().decode([String: Int].self, from: Data($0.utf8)) }
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
