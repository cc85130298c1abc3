import Foundation
import GRDB

extension TagRegistry {
    /// Approves the version of `name` that is the file's current content.
    ///
    /// The approved version replaces the live one (which becomes superseded)
    /// and the tag becomes active. Refused for retired tags, for a version
    /// already live, and when the file's content is not a known proposal.
    public func approve(name: String, actor: String, files: [RuleFile], reason: String? = nil) throws -> TagVersionRecord {
        guard let file = files.first(where: { $0.name == name }) else {
            throw LifecycleError("no rule file declares tag \"\(name)\"; approval binds to a file's current content")
        }
        return try pool.write { db in
            guard var tag = try TagRecord.filter(Column("name") == name).fetchOne(db), let tagID = tag.id else {
                throw LifecycleError("tag \"\(name)\" is not known to the store yet (run tagd check or tagd rules)")
            }
            if tag.state == .retired {
                throw LifecycleError("tag \"\(name)\" is retired; restore it first (tagd restore), then approve the proposal")
            }
            guard var version = try TagVersionRecord.filter(Column("tag_id") == tagID && Column("hash") == file.hash).fetchOne(db)
            else { throw LifecycleError("the current content of \(file.path) is not a recorded proposal; sync the rules first") }
            if version.id == tag.liveVersionId {
                throw LifecycleError("version \(version.shortHash) of \"\(name)\" is already live (tag is \(tag.state.rawValue))")
            }
            guard version.state == .proposed else {
                throw LifecycleError("version \(version.shortHash) of \"\(name)\" is \(version.state.rawValue); only a proposed version can be approved")
            }
            let now = Int64(Date().timeIntervalSince1970)
            if let live = tag.liveVersionId {
                try db.execute(sql: "UPDATE tag_versions SET state = 'superseded' WHERE id = ?", arguments: [live])
            }
            version.state = .approved
            version.decidedAt = now
            version.decidedBy = actor
            version.reason = reason
            try version.update(db)
            tag.state = .active
            tag.liveVersionId = version.id
            tag.updatedAt = now
            try tag.update(db)
            try AuditLog.append(db, actor: actor, action: "approve", tag: name, versionHash: version.hash, reason: reason)
            return version
        }
    }

    /// The live (approved) versions of active tags, optionally only `names`.
    public func liveVersions(names: [String]? = nil) throws -> [(tag: TagRecord, version: TagVersionRecord)] {
        try pool.read { db in
            let tags = try TagRecord.filter(Column("state") == TagState.active.rawValue).order(Column("name")).fetchAll(db)
            if let names {
                let known = Set(tags.map(\.name))
                for name in names where !known.contains(name) {
                    let state = try TagRecord.filter(Column("name") == name).fetchOne(db)?.state.rawValue
                    throw LifecycleError(
                        state.map { "tag \"\(name)\" is \($0); only active (approved) tags run — see tagd plan / tagd approve" }
                            ?? "no tag named \"\(name)\"")
                }
            }
            return try tags.filter { names?.contains($0.name) ?? true }.compactMap { tag in
                guard let id = tag.liveVersionId, let version = try TagVersionRecord.fetchOne(db, key: id) else { return nil }
                return (tag, version)
            }
        }
    }
}
