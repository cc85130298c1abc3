import Foundation
import GRDB
import Hummingbird
import Testing

@testable import TagServer

/// Every spelling of a route is routed, authenticated and audited as the route.
@Suite("Path normalisation", .serialized)
struct PathNormalizationTests {
    typealias Normalizer = PathNormalizingResponder<RouterResponder<TagRequestContext>>

    @Test(arguments: [
        ("//v1/tags", "/v1/tags"), ("/v1//tags", "/v1/tags"), ("/v1/./tags", "/v1/tags"), ("/v1/tags/", "/v1/tags"),
        ("/v1/x/../tags", "/v1/tags"), ("/../v1/tags", "/v1/tags"), ("/v1/%74ags", "/v1/tags"), ("/v1/%2E/tags", "/v1/tags"),
        ("/v1/members/a%2Fb", "/v1/members/a%2Fb"), ("/", "/"), ("", "/"), ("/v1/members/M%20 1", "/v1/members/M%20 1"),
    ])
    func normalize(_ raw: String, _ expected: String) {
        #expect(Normalizer.normalize(raw) == expected)
    }

    @Test func theQueryIsKept() {
        let (path, query) = Normalizer.split("//v1/tags/x/members?limit=2&value=a/b")
        #expect(path == "//v1/tags/x/members")
        #expect(query == "?limit=2&value=a/b")
    }

    @Test func aDoubleSlashIsAuthenticatedAndAuditedLikeTheRoute() async throws {
        let s = try await TestServer.start()
        for target in ["//v1/tags", "/v1//tags", "/v1/./tags/", "/v1/%74ags"] {
            let anonymous = try RawConnection.request(port: s.port, "GET", target)
            #expect(anonymous.status == 401, "\(target): \(anonymous)")
            #expect(anonymous.body.contains("missing bearer token"), "\(target): \(anonymous.body)")
            let authorised = try RawConnection.request(port: s.port, "GET", target, token: s.tokens["alice"])
            #expect(authorised.status == 200, "\(target): \(authorised)")
            #expect(authorised.body.contains(#""tags":"#))
        }
        try s.server.state.denials.flush(into: s.pool)
        let details = try await s.pool.read { db in
            try String.fetchAll(db, sql: "SELECT detail FROM audit_log WHERE action = 'denied' AND actor = 'anonymous'")
        }
        #expect(details.count == 1, "\(details)")
        #expect(details.first?.hasPrefix("GET /v1/tags: 4 requests from 127.0.0.1") == true, "\(details)")
        try await s.stop()
    }

    @Test func anUnknownPathIsAJSON404() async throws {
        let s = try await TestServer.start()
        let reply = try await s.send(.GET, "/nope")
        #expect(reply.status == 404)
        #expect(reply.object["error"] as? String != nil, "\(reply.body)")
        try await s.stop()
    }
}
