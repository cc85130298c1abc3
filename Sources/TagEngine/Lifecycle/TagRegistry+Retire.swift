import Foundation
import GRDB

extension TagRegistry {
    /// Retires active tag `name` (needs `admin` and a reason).
    ///
    /// Refused while an active rule reads the tag (the message names them).
    /// The tag stops running; its live values leave `member_tags` and go to
    /// `tag_history` with reason `retired`, so profiles stop showing it while
    /// its history remains.
    @discardableResult
    public func retire(name: String, actor: String, reason: String) throws -> Int {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw LifecycleError("retire needs a reason", kind: .invalid) }
        return try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .admin, action: "retire", tag: name, in: db)
            var tag = try Self.tag(name, in: db)
            switch tag.state {
            case .active: break
            case .proposed:
                throw LifecycleError("tag \"\(name)\" is a proposal that was never approved; reject it instead (tagd reject)")
            case .rejected, .retired:
                throw LifecycleError("tag \"\(name)\" is \(tag.state.rawValue); only an active tag can be retired")
            }
            let dependants = try Self.dependants(of: name, in: db)
            if !dependants.isEmpty {
                throw LifecycleError(
                    "tag \"\(name)\" is read by active rules: \(dependants.joined(separator: ", ")); retire or change them first")
            }
            let now = Int64(Date().timeIntervalSince1970)
            try db.execute(
                sql: """
                    INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at, reason)
                    SELECT NULL, tag_id, member_id, 'lost', value, NULL, ?, 'retired' FROM member_tags WHERE tag_id = ?
                    """, arguments: [now, tag.id])
            try db.execute(sql: "DELETE FROM member_tags WHERE tag_id = ?", arguments: [tag.id])
            let moved = db.changesCount
            // The next run of a restored tag starts from nothing, not from its old features.
            try FeatureSnapshot.delete(tagID: tag.id, in: db)
            tag.state = .retired
            tag.updatedAt = now
            try tag.update(db)
            try AuditLog.append(
                db, actor: actor, action: "retire", tag: name,
                versionHash: try tag.liveVersionId.flatMap { try TagVersionRecord.fetchOne(db, key: $0)?.hash }, reason: reason,
                detail: "\(moved) live values moved to history")
            return moved
        }
    }

    /// Brings retired tag `name` back as a proposal (needs `admin`); it runs
    /// again only after an approver approves it.
    public func restore(name: String, actor: String, reason: String? = nil) throws {
        try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .admin, action: "restore", tag: name, in: db)
            var tag = try Self.tag(name, in: db)
            guard tag.state == .retired else {
                throw LifecycleError("tag \"\(name)\" is \(tag.state.rawValue); only a retired tag can be restored")
            }
            let now = Int64(Date().timeIntervalSince1970)
            if let live = tag.liveVersionId {
                try db.execute(
                    sql: "UPDATE tag_versions SET state = 'proposed', decided_at = NULL, decided_by = NULL, reason = NULL, proposed_by = ? WHERE id = ?",
                    arguments: [actor, live])
            }
            tag.state = .proposed
            tag.liveVersionId = nil
            tag.updatedAt = now
            try tag.update(db)
            try AuditLog.append(db, actor: actor, action: "restore", tag: name, reason: reason)
        }
    }

    /// Active tags whose live version reads `name` through `m.tags`.
    static func dependants(of name: String, in db: Database) throws -> [String] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT t.name, v.source FROM tags t JOIN tag_versions v ON v.id = t.live_version_id
            WHERE t.state = 'active' AND t.name <> ?
            """, arguments: [name])
        return rows.filter { RuleDependencies.scan($0["source"]).contains(name) }.map { $0["name"] }.sorted()
    }
}
