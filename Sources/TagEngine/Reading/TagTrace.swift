import GRDB

/// Why a member has (or lacks) a tag: the live value, the run that set it,
/// that run's rule version and who approved it.
///
/// Without a live value, the value, run and version fields are `nil`.
public struct TagTrace: Sendable, Codable {
    /// The member's external id.
    public var member: String
    /// The tag name.
    public var tag: String
    /// The live value; `nil` when the member does not have the tag.
    public var value: String?
    /// When the member got the value (the run's as-of time, epoch seconds UTC).
    public var since: Int64?
    /// The run that set the value.
    public var runID: Int64?
    /// What started that run (`schedule`, `cli`, `realtime`...).
    public var runTrigger: String?
    /// That run's as-of time (epoch seconds UTC).
    public var runAsOf: Int64?
    /// SHA-256 of the rule version that run used.
    public var versionHash: String?
    /// That version's file, relative to the rules directory.
    public var versionFile: String?
    /// Who approved that version.
    public var approvedBy: String?
    /// When that version was approved (epoch seconds UTC).
    public var approvedAt: Int64?
    /// The member's latest history entry for the tag (what happened last).
    public var lastChange: String?
}

extension TagRegistry {
    /// Traces tag `name` for store member `memberID` (external id `externalID`).
    public func trace(memberID: Int64, externalID: String, tag name: String) throws -> TagTrace {
        try pool.read { db in
            let tag = try Self.tag(name, in: db)
            var trace = TagTrace(member: externalID, tag: name)
            if let row = try Row.fetchOne(db, sql: """
                SELECT mt.value, mt.since, mt.run_id, r.trigger, r.as_of, v.hash, v.file, v.decided_by, v.decided_at
                FROM member_tags mt LEFT JOIN runs r ON r.id = mt.run_id LEFT JOIN tag_versions v ON v.id = r.version_id
                WHERE mt.tag_id = ? AND mt.member_id = ?
                """, arguments: [tag.id, memberID])
            {
                trace.value = row[0]
                trace.since = row[1]
                trace.runID = row[2]
                trace.runTrigger = row[3]
                trace.runAsOf = row[4]
                trace.versionHash = row[5]
                trace.versionFile = row[6]
                trace.approvedBy = row[7]
                trace.approvedAt = row[8]
            }
            if let last = try Row.fetchOne(db, sql: """
                SELECT change, old_value, new_value, at, run_id, reason FROM tag_history
                WHERE tag_id = ? AND member_id = ? ORDER BY id DESC LIMIT 1
                """, arguments: [tag.id, memberID])
            {
                let change: String = last["change"]
                let old: String? = last["old_value"]
                let new: String? = last["new_value"]
                let run: Int64? = last["run_id"]
                let reason: String = last["reason"] ?? "run"
                trace.lastChange = "\(change) \(old ?? "-") -> \(new ?? "-") (\(run.map { "run \($0)" } ?? reason))"
            }
            return trace
        }
    }
}
