import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

@Suite("POST /v1/query", .serialized)
struct QueryRouteTests {
    /// Three members, an active enum tag `rfm_class` and a flag `new_customer`
    /// (no refresh, so the scheduler leaves them alone).
    static func seed(_ db: Database) throws {
        for (id, region) in [(1, "south"), (2, "north"), (3, "south")] {
            try db.execute(
                sql: "INSERT INTO members(id, external_id, region, level, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)",
                arguments: [id, "m\(id)", region, id])
        }
        for (id, name, kind) in [(1, "rfm_class", "enum"), (2, "new_customer", "flag")] {
            try db.execute(
                sql: "INSERT INTO tags(id, name, kind, state, created_at, updated_at) VALUES (?, ?, 'tag', 'active', 0, 0)",
                arguments: [id, name])
            try db.execute(
                sql: """
                    INSERT INTO tag_versions(id, tag_id, hash, source, file, value_kind, state, proposed_at)
                    VALUES (?, ?, ?, '', ?, ?, 'approved', 0)
                    """, arguments: [id, id, "h\(id)", "\(name).lua", kind])
            try db.execute(sql: "UPDATE tags SET live_version_id = ? WHERE id = ?", arguments: [id, id])
        }
        for (tag, member, value) in [(1, 1, "important_value"), (1, 2, "important_value"), (1, 3, "important_value"), (2, 3, "true")] {
            try db.execute(
                sql: "INSERT INTO member_tags(tag_id, member_id, value, since) VALUES (?, ?, ?, 0)", arguments: [tag, member, value])
        }
    }

    @Test func answersPagesAndRejectsBadQueries() async throws {
        let s = try await TestServer.start { _, pool in try pool.write { db in try Self.seed(db) } }
        let body = #"{"query": "rfm_class == \"important_value\" and region == \"south\"", "limit": 1}"#
        let first = try await s.send(.POST, "/v1/query", as: "alice", body: body)
        #expect(first.status == 200, "\(first.body)")
        #expect(first.object["count"] as? Int == 2)
        let items = first.object["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["member"] as? String } == ["m1"])
        let values = items.first?["values"] as? [String: Any]
        #expect(values?["rfm_class"] as? String == "important_value")
        #expect(values?["region"] as? String == "south")
        let cursor = try #require(first.object["nextCursor"] as? String)
        let second = try await s.send(
            .POST, "/v1/query", as: "alice",
            body: #"{"query": "rfm_class == \"important_value\" and region == \"south\"", "limit": 1, "cursor": "\#(cursor)"}"#)
        #expect(second.status == 200, "\(second.body)")
        #expect((second.object["items"] as? [[String: Any]])?.map { $0["member"] as? String } == ["m3"])
        #expect(second.object["nextCursor"] == nil || second.object["nextCursor"] is NSNull)

        let flags = try await s.send(.POST, "/v1/query", body: #"{"query": "new_customer or level < 2"}"#)
        #expect(flags.status == 200, "\(flags.body)")
        #expect((flags.object["items"] as? [[String: Any]])?.map { $0["member"] as? String } == ["m1", "m3"])

        let bad = try await s.send(.POST, "/v1/query", as: "alice", body: #"{"query": "new_customer == and region == \"south\""}"#)
        #expect(bad.status == 400)
        let message = bad.object["error"] as? String ?? ""
        #expect(message.hasPrefix("query:1:17: expected a value after '==' (found 'and')"), "\(bad.body)")
        #expect(message.contains("\n                  ^"), "\(bad.body)")

        let unknown = try await s.send(.POST, "/v1/query", body: #"{"query": "region == \"south\" and rfm_clas == \"x\""}"#)
        #expect(unknown.status == 400)
        #expect((unknown.object["error"] as? String)?.hasPrefix("query:1:23: unknown name 'rfm_clas'") == true, "\(unknown.body)")
        #expect((unknown.object["error"] as? String)?.contains("did you mean rfm_class?") == true, "\(unknown.body)")

        #expect(try await s.send(.POST, "/v1/query", body: #"{"limit": 3}"#).status == 400)
        #expect(try await s.send(.POST, "/v1/query", body: #"{"query": "new_customer", "cursor": "x"}"#).status == 400)
        #expect(try await s.send(.POST, "/v1/query", body: #"{"query": "new_customer", "limit": -1}"#).status == 400)
        #expect(try await s.send(.POST, "/v1/query", as: nil, body: #"{"query": "new_customer"}"#).status == 401)
        #expect(try await s.send(.POST, "/v1/query", as: "tagd_forged", body: #"{"query": "new_customer"}"#).status == 401)

        // Reads are counted in memory and flushed in the background.
        try s.server.state.reads.flush(into: s.pool)
        let reads = try await s.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT sum(count) FROM tag_reads WHERE via = 'api' AND tag_id = 1")
        }
        #expect(reads == 2)
        try await s.stop()
    }
}
