import Foundation
import Testing

@testable import TagServer

/// Body limits (413) and content types (415), answered as JSON errors.
@Suite("Request bodies", .serialized)
struct RequestBodyTests {
    @Test func tooLargeBodiesGetAJSONError() async throws {
        let s = try await TestServer.start()
        let ingest = try await s.send(.POST, "/v1/events", body: String(repeating: " ", count: 17 << 20))
        #expect(ingest.status == 413)
        #expect(ingest.object["error"] as? String == "request body larger than 16 MiB", "\(ingest.body)")
        let query = try await s.send(.POST, "/v1/query", body: String(repeating: " ", count: 2 << 20))
        #expect(query.status == 413)
        #expect(query.object["error"] as? String == "request body larger than 1 MiB", "\(query.body)")
        let approve = try await s.send(.POST, "/v1/tags/x/approve", as: "bob", body: String(repeating: " ", count: 2 << 20))
        #expect(approve.status == 413)
        #expect(approve.object["error"] as? String == "request body larger than 1 MiB", "\(approve.body)")
        try await s.stop()
    }

    @Test func contentTypes() async throws {
        let s = try await TestServer.start()
        let event = #"{"member":"m1","ts":1764547000,"type":"view"}"#
        for type in ["application/json", "application/json; charset=utf-8", "application/x-ndjson", "application/jsonl",
                     "application/x-www-form-urlencoded", "application/vnd.tagd+json", nil] as [String?] {
            let reply = try await s.send(.POST, "/v1/events", body: event, contentType: type)
            #expect(reply.status == 200, "\(type ?? "none"): \(reply.body)")
        }
        for type in ["text/csv", "text/plain", "multipart/form-data; boundary=x", "application/xml"] {
            let reply = try await s.send(.POST, "/v1/events", body: event, contentType: type)
            #expect(reply.status == 415, "\(type): \(reply.body)")
            #expect((reply.object["error"] as? String)?.hasPrefix("unsupported Content-Type \(type)") == true, "\(reply.body)")
        }
        let query = try await s.send(.POST, "/v1/query", body: #"{"query":"region == \"x\""}"#, contentType: "application/x-ndjson")
        #expect(query.status == 415, "\(query.body)")
        let curlQuery = try await s.send(
            .POST, "/v1/query", body: #"{"query":"region == \"x\""}"#, contentType: "application/x-www-form-urlencoded")
        #expect(curlQuery.status == 200, "\(curlQuery.body)")
        let approve = try await s.send(.POST, "/v1/tags/x/approve", as: "bob", body: "reason", contentType: "text/plain")
        #expect(approve.status == 415, "\(approve.body)")
        #expect(try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") } == 7)
        try await s.stop()
    }
}
