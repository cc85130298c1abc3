import Foundation
import Hummingbird
import MemberStore
import TagEngine

/// `POST /v1/members`, `/v1/orders`, `/v1/events`: one object, an array, or NDJSON.
///
/// Every record is validated first (400 with field-level errors, nothing
/// stored); then all are written in one transaction, in which realtime tags
/// are also re-evaluated for the affected members (each rule under a
/// savepoint, so a failing rule never undoes the ingest); the response
/// reports what changed. Records may name their member by channel
/// identities only (`"identities": {...}`), resolved by the approved
/// identity rules: merges made and conflicts met are in the response, and
/// realtime tags of merged members are re-evaluated in the same transaction.
struct IngestRoutes {
    let state: ServerState

    /// What an ingest answers.
    struct Result: Codable, Sendable {
        var received: Int
        var inserted: Int
        var updated: Int
        var duplicates: Int
        var membersCreated: Int
        var merges: Int
        var conflicts: [IdentityConflict]
        var realtime: RealtimeOutcome
    }

    func register(on router: Router<TagRequestContext>) {
        for kind in RecordKind.allCases {
            router.post("v1/\(kind.rawValue)") { request, context in
                try await ingest(kind, request: request, context: context)
            }
        }
    }

    func ingest(_ kind: RecordKind, request: Request, context: TagRequestContext) async throws -> JSONResponse<Result> {
        _ = try await context.require(.operator, for: "ingest", state: state)
        let started = Date()
        let objects = try await RequestBody.objects(request, context: context)
        let decoder = RecordDecoder(kind: kind)
        var records: [IngestRecord] = []
        var problems: [APIError.FieldProblem] = []
        for (index, object) in objects.enumerated() {
            do {
                records.append(try decoder.decode(object))
            } catch {
                problems += error.fields.map { .init(index: index, field: $0.field, reason: $0.reason) }
            }
        }
        guard problems.isEmpty else {
            throw APIError.badRequest("\(Set(problems.compactMap(\.index)).count) of \(objects.count) records are invalid; nothing was stored", errors: problems)
        }
        guard !records.isEmpty else { throw APIError.badRequest("no records in the body") }
        let now = state.configuration.clock()
        let policy = try state.identityPolicy.current()
        let (counts, conflicts, realtime) = try await state.ruleWork { [records] in
            try state.realtime.reloadIfNeeded(at: now)
            return try state.pool.write { db -> (IngestCounts, [IdentityConflict], RealtimeOutcome) in
                let writer = try IngestWriter(db: db)
                writer.policy = policy
                var members: Set<Int64> = []
                for (index, record) in records.enumerated() {
                    do {
                        try writer.write(record)
                    } catch let problem as FieldError {
                        // Found only when resolving (all identities blocked): nothing of the body is stored.
                        throw APIError.badRequest(
                            "record \(index) is invalid; nothing was stored",
                            errors: [.init(index: index, field: problem.field, reason: problem.reason)])
                    }
                    if let member = writer.lastWritten { members.insert(member) }
                }
                // A later record may have merged an earlier one's member away.
                let merger = IdentityMerger(db: db)
                let live = try Set(members.union(writer.touched).map { try merger.live($0) })
                return (writer.counts, writer.conflicts, try state.realtime.evaluate(members: Array(live), at: now, in: db))
            }
        }
        state.metrics.ingest(kind: kind.rawValue, records: records.count, seconds: Date().timeIntervalSince(started))
        if !realtime.tags.isEmpty { state.metrics.realtime(seconds: realtime.seconds, errors: realtime.errors.count) }
        return JSONResponse(
            Result(
                received: records.count, inserted: counts.inserted, updated: counts.updated, duplicates: counts.duplicates,
                membersCreated: counts.createdMembers, merges: counts.merges, conflicts: conflicts, realtime: realtime),
            status: .ok)
    }
}
