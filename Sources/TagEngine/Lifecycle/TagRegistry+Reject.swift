import Foundation
import GRDB

extension TagRegistry {
    /// Rejects the newest proposal of `name` (needs `approver`, and a reason).
    ///
    /// A tag with a live version stays active on that version; a tag that was
    /// never approved becomes `rejected` until its file changes again.
    @discardableResult
    public func reject(name: String, actor: String, reason: String) throws -> TagVersionRecord {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw LifecycleError("reject needs a reason", kind: .invalid) }
        return try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .approver, action: "reject", tag: name, in: db)
            var tag = try Self.tag(name, in: db)
            guard tag.state != .retired else {
                throw LifecycleError("tag \"\(name)\" is retired; there is nothing to reject (tagd restore brings it back as a proposal)")
            }
            guard var version = try TagVersionRecord.filter(Column("tag_id") == tag.id && Column("state") == "proposed")
                .order(Column("id").desc).fetchOne(db)
            else {
                throw LifecycleError("tag \"\(name)\" is \(tag.state.rawValue) with no proposal waiting; nothing to reject")
            }
            let now = Int64(Date().timeIntervalSince1970)
            version.state = .rejected
            version.decidedAt = now
            version.decidedBy = actor
            version.reason = reason
            try version.update(db)
            if tag.liveVersionId == nil {
                tag.state = .rejected
                tag.updatedAt = now
                try tag.update(db)
            }
            try AuditLog.append(db, actor: actor, action: "reject", tag: name, versionHash: version.hash, reason: reason)
            return version
        }
    }

    /// Records `actor` (an operator or above) as the proposer of the file's
    /// current version of `name`, which four-eyes then keeps from approving it.
    public func propose(name: String, actor: String, files: [RuleFile]) throws -> TagVersionRecord {
        guard let file = files.first(where: { $0.name == name }) else { throw LifecycleError("no rule file declares \"\(name)\"") }
        return try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .operator, action: "propose", tag: name, in: db)
            let tag = try Self.tag(name, in: db)
            guard var version = try TagVersionRecord.filter(Column("tag_id") == tag.id && Column("hash") == file.hash).fetchOne(db),
                version.state == .proposed
            else { throw LifecycleError("the current content of \(file.path) is not a waiting proposal") }
            if let proposer = version.proposedBy, proposer != actor, try User.fetchOne(db, key: proposer) != nil {
                throw LifecycleError("version \(version.shortHash) of \"\(name)\" was already proposed by \(proposer)")
            }
            version.proposedBy = actor
            try version.update(db)
            try AuditLog.append(db, actor: actor, action: "propose", tag: name, versionHash: version.hash, detail: file.path)
            return version
        }
    }
}
