import Foundation
import GRDB
import TagEngine
import Testing

@testable import TagServer

/// Refused requests are audited in batches, not one write per request.
@Suite("Denied requests audit", .serialized)
struct DenialAuditTests {
    static func deniedRows(_ s: TestServer) async throws -> [(actor: String, reason: String, detail: String)] {
        try await s.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT actor, reason, detail FROM audit_log WHERE action = 'denied' ORDER BY id")
                .map { ($0[0], $0[1], $0[2]) }
        }
    }

    @Test func aFloodOfBadTokensWritesAHandfulOfRows() async throws {
        let s = try await TestServer.start(configure: { $0.denialFlushInterval = .seconds(3600) })
        let auditBefore = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") ?? 0 }
        let total = 10_000
        let workers = 16
        try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var refused = 0
                    for index in stride(from: worker, to: total, by: workers) {
                        let path = index % 2 == 0 ? "/v1/tags" : "/v1/members/m\(index)"
                        if try await s.send(.GET, path, as: "tagd_forged\(index % 3)").status == 401 { refused += 1 }
                    }
                    return refused
                }
            }
            var refused = 0
            for try await count in group { refused += count }
            #expect(refused == total)
        }
        // Nothing is written during the flood.
        let auditDuring = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") ?? 0 }
        #expect(auditDuring == auditBefore)
        #expect(s.server.state.denials.unflushed == total)
        try s.server.state.denials.flush(into: s.pool)
        let rows = try await Self.deniedRows(s)
        #expect(rows.count == 2, "\(rows)")
        #expect(rows.allSatisfy { $0.actor == "anonymous" && $0.reason == "unknown, revoked or expired token" })
        #expect(rows.contains { $0.detail.hasPrefix("GET /v1/tags: 5000 requests from 127.0.0.1") }, "\(rows)")
        #expect(rows.contains { $0.detail.hasPrefix("GET /v1/members/{id}: 5000 requests") }, "\(rows)")
        #expect(s.server.state.denials.unflushed == 0)
        let metrics = try await s.send(.GET, "/metrics", as: nil)
        #expect(metrics.body.contains("tagd_http_denied_total{status=\"401\"} \(total)"))
        // The chain still verifies.
        #expect(try await s.pool.read { db in try AuditLog.firstBrokenRow(db) } == nil)
        try await s.stop()
    }

    @Test func refusalsAreFlushedOnTheIntervalAndAtShutdown() async throws {
        let s = try await TestServer.start(configure: { $0.denialFlushInterval = .seconds(1) })
        #expect(try await s.send(.GET, "/v1/tags", as: nil).status == 401)
        #expect(try await s.send(.GET, "/v1/tags", as: nil).status == 401)
        #expect(try await s.send(.GET, "/v1/audit", as: "alice").status == 403)
        #expect(try await s.eventually(20) { s.server.state.denials.unflushed == 0 })
        let rows = try await Self.deniedRows(s)
        #expect(rows.count == 2, "\(rows)")
        #expect(rows.contains { $0.actor == "anonymous" && $0.detail.hasPrefix("GET /v1/tags: 2 requests") }, "\(rows)")
        #expect(rows.contains { $0.actor == "alice" && $0.reason.contains("audit needs approver") }, "\(rows)")
        try await s.stop()
    }

    @Test func refusalsAreWrittenAtShutdown() async throws {
        let s = try await TestServer.start(configure: { $0.denialFlushInterval = .seconds(3600) })
        #expect(try await s.send(.GET, "/v1/pending", as: "tagd_nope").status == 401)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await Self.deniedRows(s).isEmpty)
        try await s.stop()
        let rows = try await Self.deniedRows(s)
        #expect(rows.count == 1, "\(rows)")
        #expect(rows.last?.detail.hasPrefix("GET /v1/pending: 1 request from") == true, "\(rows)")
    }

    @Test func aFailedFlushKeepsTheCounts() async throws {
        let s = try await TestServer.start(configure: { $0.denialFlushInterval = .seconds(3600) })
        #expect(try await s.send(.GET, "/v1/tags", as: nil).status == 401)
        try await s.pool.write { db in
            try db.execute(sql: "CREATE TEMP TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(FAIL, 'refused'); END")
        }
        #expect(throws: (any Error).self) { try s.server.state.denials.flush(into: s.pool) }
        #expect(try await s.send(.GET, "/v1/tags", as: nil).status == 401)
        #expect(s.server.state.denials.unflushed == 2)
        try await s.pool.write { db in try db.execute(sql: "DROP TRIGGER temp.refuse") }
        try s.server.state.denials.flush(into: s.pool)
        let rows = try await Self.deniedRows(s)
        #expect(rows.count == 1)
        #expect(rows.first?.detail.hasPrefix("GET /v1/tags: 2 requests") == true, "\(rows)")
        try await s.stop()
    }
}
