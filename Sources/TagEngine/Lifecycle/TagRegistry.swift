import Foundation
import GRDB

/// The tags and their versions in the store: syncing the rules directory into
/// proposals, approving, and finding what runs.
///
/// Only an approved version writes live tags: runs load the source stored
/// with the live version, never the file on disk.
///
/// ## Topics
///
/// ### Creating a Registry
///
/// - ``init(pool:)``
/// - ``pool``
///
/// ### Syncing the Rules Directory
///
/// - ``sync(_:actor:)``
/// - ``SyncReport``
///
/// ### Lifecycle Steps
///
/// - ``propose(name:actor:files:)``
/// - ``approve(name:actor:files:reason:)``
/// - ``reject(name:actor:reason:)``
/// - ``retire(name:actor:reason:)``
/// - ``restore(name:actor:reason:)``
/// - ``pending()``
///
/// ### Finding What Runs
///
/// - ``liveVersions(names:)``
/// - ``dueTags(at:)``
///
/// ### Reading Tags
///
/// - ``overview()``
/// - ``detail(name:runs:)``
/// - ``history(name:)``
/// - ``trace(memberID:externalID:tag:)``
/// - ``tags(ofMember:)``
public struct TagRegistry: Sendable {
    /// The store.
    public let pool: DatabasePool

    /// Creates a registry over `pool`.
    public init(pool: DatabasePool) { self.pool = pool }

    /// The result of a sync.
    public struct SyncReport: Sendable {
        /// Tags that got a new proposed version.
        public var proposed: [String] = []
        /// Active tags whose file is gone.
        public var orphaned: [String] = []
        /// Files that do not load, or conflict.
        public var errors: [RuleError] = []
    }

    /// Records every loadable file's content as a version: a new name or a
    /// changed hash becomes a proposal; an active tag whose file vanished is
    /// flagged orphaned. Nothing live changes.
    @discardableResult
    public func sync(_ files: [RuleFile], actor: String = "rules-dir") throws -> SyncReport {
        var report = SyncReport()
        var byName: [String: [RuleFile]] = [:]
        for file in files {
            switch file.outcome {
            case .success(let summary): byName[summary.name, default: []].append(file)
            case .failure(let error): report.errors.append(error)
            }
        }
        let now = Int64(Date().timeIntervalSince1970)
        try pool.write { db in
            for (name, declaring) in byName.sorted(by: { $0.key < $1.key }) {
                guard declaring.count == 1, let file = declaring.first, case .success(let summary) = file.outcome else {
                    let paths = declaring.map(\.path).joined(separator: ", ")
                    for file in declaring {
                        report.errors.append(RuleError(file: file.path, "tag \"\(name)\" is declared by several files (\(paths)); rename one"))
                    }
                    continue
                }
                if try propose(file, summary: summary, actor: actor, now: now, in: db) { report.proposed.append(name) }
            }
            try db.execute(sql: "DELETE FROM rule_errors")
            for error in report.errors {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO rule_errors(path, message, seen_at) VALUES (?, ?, ?)",
                    arguments: [error.file, error.description, now])
            }
            for var tag in try TagRecord.fetchAll(db) {
                let present = byName[tag.name] != nil
                if tag.state == .active, tag.orphaned == present {
                    tag.orphaned = !present
                    tag.updatedAt = now
                    try tag.update(db)
                    if !present { report.orphaned.append(tag.name) }
                    try AuditLog.append(db, actor: actor, action: present ? "file_restored" : "orphaned", tag: tag.name)
                }
            }
        }
        return report
    }

    /// Inserts the tag and/or a proposed version for `file` unless that exact
    /// content is known. Returns whether a proposal was created.
    private func propose(_ file: RuleFile, summary: RuleSummary, actor: String, now: Int64, in db: Database) throws -> Bool {
        var tag = try TagRecord.filter(Column("name") == summary.name).fetchOne(db)
            ?? TagRecord(
                id: nil, name: summary.name, kind: summary.isIdentity ? IdentityRules.name : summary.isSegment ? "segment" : "tag", state: .proposed, liveVersionId: nil, orphaned: false,
                file: file.path, createdAt: now, updatedAt: now)
        if tag.id == nil { try tag.insert(db) } else if tag.file != file.path {
            tag.file = file.path
            try tag.update(db)
        }
        guard let tagID = tag.id else { return false }
        if try TagVersionRecord.filter(Column("tag_id") == tagID && Column("hash") == file.hash).fetchCount(db) > 0 {
            return false
        }
        var version = TagVersionRecord(
            id: nil, tagId: tagID, hash: file.hash, source: file.source, file: file.path, title: summary.title,
            category: summary.category, owner: summary.owner, valueKind: summary.kind.rawValue, refresh: summary.refresh,
            state: .proposed, proposedAt: now, proposedBy: actor, modules: file.modulesJSON)
        try version.insert(db)
        if tag.state == .rejected {
            tag.state = .proposed
            tag.updatedAt = now
            try tag.update(db)
        }
        try AuditLog.append(db, actor: actor, action: "propose", tag: summary.name, versionHash: file.hash, detail: file.path)
        return true
    }
}
