import Foundation
import GRDB

extension TagRegistry {
    /// Approves the version of `name` that is the file's current content.
    ///
    /// Needs the `approver` role. With four-eyes on (the default) the approver
    /// may not be the version's proposer or the rule's owner. Every tag the
    /// rule reads must be active. The approved version replaces the live one
    /// (which becomes superseded) and the tag becomes active.
    public func approve(name: String, actor: String, files: [RuleFile], reason: String? = nil) throws -> TagVersionRecord {
        guard let file = files.first(where: { $0.name == name }) else {
            throw LifecycleError("no rule file declares tag \"\(name)\"; approval binds to a file's current content")
        }
        return try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .approver, action: "approve", tag: name, in: db)
            var tag = try Self.tag(name, in: db)
            if tag.state == .retired {
                throw LifecycleError("tag \"\(name)\" is retired; an admin restores it first (tagd restore), then it can be approved")
            }
            guard var version = try TagVersionRecord.filter(Column("tag_id") == tag.id && Column("hash") == file.hash).fetchOne(db)
            else { throw LifecycleError("the current content of \(file.path) is not a recorded proposal; sync the rules first") }
            if version.id == tag.liveVersionId {
                throw LifecycleError("version \(version.shortHash) of \"\(name)\" is already live (tag is \(tag.state.rawValue))")
            }
            guard version.state == .proposed else {
                throw LifecycleError(
                    "version \(version.shortHash) of \"\(name)\" is \(version.state.rawValue); only a proposed version can be approved (edit the file to propose again)")
            }
            if try Settings.value(.fourEyes, in: db) == "on" {
                if version.proposedBy == actor || version.owner == actor {
                    let role = version.proposedBy == actor ? "proposed" : "owns"
                    throw LifecycleError(
                        "four-eyes: \(actor) \(role) version \(version.shortHash) of \"\(name)\"; another approver must approve it")
                }
            }
            let missing = try RuleDependencies.scan(version.source).filter { dependency in
                try TagRecord.filter(Column("name") == dependency && Column("state") == TagState.active.rawValue).fetchCount(db) == 0
            }
            if !missing.isEmpty {
                throw LifecycleError("\"\(name)\" reads tags that are not active: \(missing.joined(separator: ", ")); approve those first")
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

    /// The tag called `name`, or an error saying there is none.
    static func tag(_ name: String, in db: Database) throws -> TagRecord {
        guard let tag = try TagRecord.filter(Column("name") == name).fetchOne(db) else {
            throw LifecycleError("no tag named \"\(name)\" (tagd rules lists them)", kind: .notFound)
        }
        return tag
    }

    /// The live (approved) versions of active tags, optionally only `names`.
    public func liveVersions(names: [String]? = nil) throws -> [(tag: TagRecord, version: TagVersionRecord)] {
        try pool.read { db in
            // The identity rules follow the lifecycle but never run as a tag.
            let tags = try TagRecord.filter(Column("state") == TagState.active.rawValue && Column("kind") != IdentityRules.name)
                .order(Column("name")).fetchAll(db)
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
