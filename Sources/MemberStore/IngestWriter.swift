import Foundation
import GRDB

/// Writes input records into the store inside a caller-provided write
/// transaction, using cached prepared statements and a cache of
/// external id -> member rowid.
///
/// Create one per transaction (`pool.write { db in ... }`): it must not
/// outlive it. ``MemberStore/ingest(_:)`` and ``Importer`` are built on it.
public final class IngestWriter {
    /// The connection this writer writes through.
    public let db: Database
    /// Value written to `created_at` / `updated_at` (epoch seconds).
    public let now: Int64
    /// What this writer has changed so far.
    public private(set) var counts = IngestCounts()

    private var memberIDs: [String: Int64] = [:]
    /// The most recent member, since exports are often grouped by member.
    private var lastMember: (externalID: String, id: Int64)?
    private static let memberCacheLimit = 4_000_000
    let statements: Statements

    /// Prepares the statements on `db`; `now` defaults to the current time.
    public init(db: Database, now: Int64? = nil) throws {
        self.db = db
        self.now = now ?? Int64(Date().timeIntervalSince1970)
        self.statements = try Statements(db)
    }

    /// Writes one record of any kind.
    public func write(_ record: IngestRecord) throws {
        switch record {
        case .member(let member): try write(member)
        case .order(let order): try write(order)
        case .event(let event): try write(event)
        }
    }

    /// The rowid of the member with this external id (normalised with
    /// ``MemberID/normalize(_:)``), creating a bare member row (counted in
    /// ``IngestCounts/createdMembers``) when there is none.
    ///
    /// - Throws: ``FieldError`` for an id that breaks ``MemberID``'s rules, or a database error.
    public func memberID(for externalID: String) throws -> Int64 {
        let externalID = try Self.checkedID(externalID, field: "member")
        if let id = try existingMemberID(for: externalID) { return id }
        try statements.insertBareMember.execute(arguments: [externalID, now, now])
        let id = db.lastInsertedRowID
        remember(externalID, id)
        counts.createdMembers += 1
        return id
    }

    /// `id` normalised, or a ``FieldError`` naming `field` when it is not a valid id.
    static func checkedID(_ id: String, field: String) throws(FieldError) -> String {
        let normalized = MemberID.normalize(id)
        if normalized.isEmpty { throw FieldError(field: field, reason: "is required") }
        if let why = MemberID.problem(with: normalized) {
            throw FieldError(field: field, reason: why)
        }
        return normalized
    }

    /// The rowid of the member with this (already normalised) external id, if stored.
    func existingMemberID(for externalID: String) throws -> Int64? {
        if let last = lastMember, last.externalID == externalID { return last.id }
        if let id = memberIDs[externalID] {
            lastMember = (externalID, id)
            return id
        }
        guard let id = try Int64.fetchOne(statements.selectMember, arguments: [externalID]) else { return nil }
        remember(externalID, id)
        return id
    }

    func remember(_ externalID: String, _ id: Int64) {
        if memberIDs.count >= Self.memberCacheLimit { memberIDs.removeAll(keepingCapacity: true) }
        memberIDs[externalID] = id
        lastMember = (externalID, id)
    }

    func count(_ update: (inout IngestCounts) -> Void) {
        update(&counts)
    }
}
