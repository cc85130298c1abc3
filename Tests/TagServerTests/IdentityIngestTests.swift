import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

@Suite("ONE-ID over the API", .serialized)
struct IdentityIngestTests {
    static let rules = """
        return identity {
          keys = { "wechat_unionid", "phone", "email" },
          normalize = { phone = "phone +86", email = "email" },
          limits = { phone = 1 },
          blocked = { phone = { "13800000000" } },
        }
        """

    static func start() async throws -> TestServer {
        try await TestServer.start { rules, pool in
            try Self.rules.write(to: rules.appendingPathComponent("identity.lua"), atomically: true, encoding: .utf8)
            let files = try RuleCatalog(directory: rules).scan()
            try TagRegistry(pool: pool).sync(files, actor: "alice")
            _ = try TagRegistry(pool: pool).approve(name: "identity", actor: "bob", files: files)
            try ServerTests.carted.write(to: rules.appendingPathComponent("carted.lua"), atomically: true, encoding: .utf8)
            let again = try RuleCatalog(directory: rules).scan()
            try TagRegistry(pool: pool).sync(again, actor: "alice")
            _ = try TagRegistry(pool: pool).approve(name: "carted", actor: "bob", files: again)
        }
    }

    @Test func recordsNamedOnlyByChannelIdentitiesResolveToOnePerson() async throws {
        let s = try await Self.start()
        // A WeChat account and a shop account of one person, then an event from the shop;
        // the member is named after its best key (wechat_unionid:o6_b1).
        let wechat = try await s.send(.POST, "/v1/members", body: #"{"identities":{"wechat_unionid":"o6_b1","phone":"+86 138 0013 8000"},"region":"south"}"#)
        #expect(wechat.status == 200, "\(wechat.body)")
        #expect(wechat.object["membersCreated"] as? Int == 1)
        let shop = try await s.send(.POST, "/v1/orders", body: #"{"identities":{"phone":"138-0013-8000","email":" Li@Shop.CN "},"ts":"2025-11-20","amount":30}"#)
        #expect(shop.object["membersCreated"] as? Int == 0)
        let cart = try await s.send(.POST, "/v1/events", body: #"{"identities":{"email":"li@shop.cn"},"ts":"2025-11-30","type":"cart"}"#)
        #expect(cart.status == 200)
        #expect((cart.object["realtime"] as? [String: Any])?["members"] as? Int == 1)
        let people = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM members") }
        #expect(people == 1)
        let profile = try await s.send(.GET, "/v1/members/wechat_unionid:o6_b1", as: "alice")
        #expect(profile.status == 200, "\(profile.body)")
        #expect((profile.object["tags"] as? [[String: Any]])?.first?["tag"] as? String == "carted")
        try await s.stop()
    }

    @Test func aMergeIsReportedAndTheOldIdSaysIntoWhom() async throws {
        let s = try await Self.start()
        _ = try await s.send(.POST, "/v1/members", body: #"[{"member":"crm1","registered_at":"2020-01-01","identities":{"phone":"13800138001"}},{"member":"crm2","registered_at":"2024-01-01","identities":{"email":"x@y.cn"}}]"#)
        let linking = try await s.send(.POST, "/v1/events", body: #"{"identities":{"email":"x@y.cn","phone":"138 0013 8001"},"ts":"2025-11-30","type":"cart"}"#)
        #expect(linking.status == 200, "\(linking.body)")
        #expect(linking.object["merges"] as? Int == 1)
        let old = try await s.send(.GET, "/v1/members/crm2", as: "alice")
        #expect(old.status == 200)
        #expect(old.object["mergedInto"] as? String == "crm1")
        #expect(old.object["id"] as? String == "crm1")
        // A second phone conflicts with the limit: stored against the member, reported.
        let conflicting = try await s.send(.POST, "/v1/orders", body: #"{"identities":{"email":"x@y.cn","phone":"13900000000"},"ts":"2025-11-30","amount":1}"#)
        let conflicts = conflicting.object["conflicts"] as? [[String: Any]] ?? []
        #expect(conflicts.count == 1)
        #expect(conflicts.first?["member"] as? String == "crm1")
        #expect(conflicts.first?["channel"] as? String == "phone")
        let orders = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM orders o JOIN members m ON m.id = o.member_id WHERE m.external_id = 'crm1'") }
        #expect(orders == 1)
        // Only blocked values: the record names nobody.
        let blocked = try await s.send(.POST, "/v1/events", body: #"{"identities":{"phone":"13800000000"},"ts":"2025-11-30","type":"cart"}"#)
        #expect(blocked.status == 400)
        try await s.stop()
    }
}
