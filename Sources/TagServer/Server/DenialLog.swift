import Foundation
import GRDB
import TagEngine

/// Refused requests (401, 403), counted in memory and written to the audit
/// log in batches: one `denied` entry per kind of refusal per flush, with the
/// number of requests in its detail.
///
/// A kind is the actor, the reason, the route (method and route pattern,
/// not the raw path) and the client address. A flood of bad-token requests
/// thus costs one audit row per flush, not one write per request; and at most
/// ``maxKinds`` kinds are kept between flushes (the rest are counted under a
/// catch-all kind), so a flood from many addresses cannot grow memory either.
/// ``StoreMaintenance`` flushes every ``ServerConfiguration/denialFlushInterval``
/// and at shutdown; `GET /v1/audit` flushes before it reads.
public final class DenialLog: Sendable {
    /// What makes two refusals the same kind.
    struct Kind: Hashable, Sendable {
        var actor: String
        var reason: String
        var route: String
        var client: String
    }

    /// How many refusals of one kind, and when the first and the last were.
    struct Tally: Sendable {
        var count: Int
        var first: Int64
        var last: Int64
    }

    /// The most kinds kept between two flushes.
    static let maxKinds = 1_000
    /// Where refusals beyond ``maxKinds`` kinds are counted.
    static let overflow = Kind(actor: "(various)", reason: "(various)", route: "(various)", client: "(various)")

    private let pending = PendingCounts<Kind, Tally> { held, more in
        held.count += more.count
        held.first = min(held.first, more.first)
        held.last = max(held.last, more.last)
    }

    /// Creates an empty log.
    public init() {}

    /// Counts one refusal.
    func record(actor: String, reason: String, route: String, client: String?, at date: Date = Date()) {
        let now = Int64(date.timeIntervalSince1970)
        pending.add(
            Tally(count: 1, first: now, last: now), for: Kind(actor: actor, reason: reason, route: route, client: client ?? "unknown"),
            limit: Self.maxKinds, overflow: Self.overflow)
    }

    /// Refusals counted and not yet written.
    public var unflushed: Int { pending.unflushed.values.reduce(0) { $0 + $1.count } }

    /// Writes one audit entry per kind counted since the last flush, in one
    /// transaction. When the write fails the counts are kept for the next
    /// flush and the error is rethrown.
    public func flush(into pool: DatabasePool) throws {
        try pending.flush { batch in
            try pool.write { db in
                for (kind, tally) in batch.sorted(by: { $0.value.first < $1.value.first }) {
                    try AuditLog.append(
                        db, actor: kind.actor, action: "denied", reason: kind.reason, detail: Self.detail(kind, tally),
                        at: tally.last)
                }
            }
        }
    }

    /// `GET /v1/tags: 3 requests from 127.0.0.1 (1764547200...1764547260)`.
    static func detail(_ kind: Kind, _ tally: Tally) -> String {
        let requests = tally.count == 1 ? "1 request" : "\(tally.count) requests"
        let span = tally.first == tally.last ? "at \(tally.first)" : "\(tally.first)...\(tally.last)"
        return "\(kind.route): \(requests) from \(kind.client) (\(span))"
    }
}
