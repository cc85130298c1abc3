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
    public internal(set) var counts = IngestCounts()
    /// The identity rules records are resolved by (`nil`: none approved;
    /// identities are then matched as given and members are never merged).
    public var policy: IdentityPolicy? {
        didSet {
            hasPolicy = policy != nil
            rules = policy.map(IdentityChannelRules.init)
        }
    }
    /// Whether ``policy`` is set (read per record: reading the policy itself copies it).
    private(set) var hasPolicy = false
    /// ``policy`` by channel, for records whose identities are prepared here.
    private(set) var rules: IdentityChannelRules?
    /// Who merges are recorded as made by.
    public var actor = "ingest"
    /// The first ``conflictReportLimit`` identity conflicts.
    public internal(set) var conflicts: [IdentityConflict] = []
    /// The merges this writer made.
    public internal(set) var mergeIDs: [Int64] = []
    /// Survivors of those merges (their tags need re-evaluating).
    public internal(set) var touched: Set<Int64> = []
    /// The live member the last record written belongs to.
    public internal(set) var lastWritten: Int64?

    /// Changed members not yet in `change_log` (see ``deferChangeLog()``).
    var deferredChanges: DeferredChanges?
    /// Every identity the store may hold (see ``useIdentityFilter(maxStored:expectedNew:)``), or `nil`: ask the store.
    var identityFilter: IdentityFilter?
    /// Identity rows attached but not yet written (see ``deferIdentities(expected:)``), or `nil`: written at once.
    var pendingIdentities: PendingIdentities?
    /// Members the import created that have rows in the store besides their
    /// own (orders, events, written identities); the others merge in memory
    /// (see ``IngestWriter/isHeldOnly(_:)``).
    var storedRowsOfNew: Set<Int64> = []
    private var memberIDs: [String: Int64] = [:]
    /// The most recent member, since exports are often grouped by member.
    private var lastMember: (externalID: String, id: Int64)?
    private static let memberCacheLimit = 4_000_000
    let statements: Statements
    /// Member updates by ``MemberUpdate`` shape, prepared on first use.
    var memberUpdates: [Int: RawStatement] = [:]

    /// Prepares the statements on `db`; `now` defaults to the current time.
    public init(db: Database, now: Int64? = nil) throws {
        self.db = db
        self.now = now ?? Int64(Date().timeIntervalSince1970)
        self.statements = try Statements(db)
    }

    /// Writes one record of any kind.
    public func write(_ record: IngestRecord) throws {
        try write(record, prepared: nil)
    }

    /// Writes one record whose identities were prepared already (``PreparedIdentities``; `nil`: prepared here).
    func write(_ record: IngestRecord, prepared: PreparedIdentities?) throws {
        switch record {
        case .member(let member): try write(member, prepared: prepared)
        case .order(let order): try write(order, prepared: prepared)
        case .event(let event): try write(event, prepared: prepared)
        }
    }

    /// The rowid of the member with this external id (normalised with
    /// ``MemberID/normalize(_:)``), creating a bare member row (counted in
    /// ``IngestCounts/createdMembers``) when there is none.
    ///
    /// - Throws: ``FieldError`` for an id that breaks ``MemberID``'s rules, or a database error.
    /// An absorbed member's external id resolves to its survivor.
    public func memberID(for externalID: String) throws -> Int64 {
        try member(for: externalID, field: "member").member
    }

    /// The live member a record names (``resolve(externalID:identities:field:)``), for callers that collect them.
    public func memberID(for record: IngestRecord) throws -> Int64 {
        switch record {
        case .member(let m): try resolve(externalID: m.externalID, identities: m.identities).member
        case .order(let o): try resolve(externalID: o.member, identities: o.identities).member
        case .event(let e): try resolve(externalID: e.member, identities: e.identities).member
        }
    }

    /// `id` normalised, or a ``FieldError`` naming `field` when it is not a valid id.
    static func checkedID(_ id: String, field: @autoclosure () -> String) throws(FieldError) -> String {
        let normalized = MemberID.normalize(id)
        if normalized.isEmpty { throw FieldError(field: field(), reason: "is required") }
        if let why = MemberID.problem(with: normalized) {
            throw FieldError(field: field(), reason: why)
        }
        return normalized
    }

    /// The live member with this (already normalised) external id, if
    /// stored, and the absorbed member the id names when it was merged.
    func existingMember(for externalID: String) throws -> (member: Int64, origin: Int64?)? {
        if let last = lastMember, last.externalID == externalID { return (last.id, nil) }
        if let id = memberIDs[externalID] {
            lastMember = (externalID, id)
            return (id, nil)
        }
        let select = statements.selectMember
        select.reset()
        select.bind(1, externalID)
        guard let (id, mergedInto) = try select.fetchPair() else { return nil }
        if mergedInto != nil { return (try IdentityMerger(db: db, now: now).live(id), id) }
        remember(externalID, id)
        return (id, nil)
    }

    /// The cached live member with this (normalised) external id, without a query.
    func cachedMember(for externalID: String) -> Int64? {
        if let last = lastMember, last.externalID == externalID { return last.id }
        return memberIDs[externalID]
    }

    /// Forgets cached ids (after a merge moved members).
    func forgetMembers() {
        memberIDs.removeAll(keepingCapacity: true)
        lastMember = nil
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
