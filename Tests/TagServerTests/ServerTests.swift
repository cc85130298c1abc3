import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

@Suite("tagd serve", .serialized)
struct ServerTests {
    static let carted = """
        return tag "carted" {
          title = "Carted in 7 days", category = "behaviour/intent", owner = "crm", kind = "flag", refresh = "realtime",
          features = { carts = count("events", { within = "7d", where = { type = "cart" } }) },
          evaluate = function(m) return m.carts > 0 end,
        }
        """

    @Test func theIdentityRulesFileIsNotPlannedAsATag() async throws {
        let s = try await TestServer.start()
        try s.writeRule("identity.lua", """
            return identity { owner = "crm", keys = { "phone" } }
            """)
        let plan = try await s.send(.GET, "/v1/tags/identity/plan")
        #expect(plan.status == 409, "\(plan.body)")
        #expect(plan.body.contains("tagd identity plan"), "\(plan.body)")
        try await s.stop()
    }

    @Test func ingestThenReadBack() async throws {
        let s = try await TestServer.start()
        let members = """
            {"member":"m1","channel":"wechat","region":"south","level":3,"registered_at":"2025-01-02","id_wechat":"wx1","vip":true}
            {"member":"m2","region":"north"}
            """
        let ingested = try await s.send(.POST, "/v1/members", body: members, contentType: "application/x-ndjson")
        #expect(ingested.status == 200, "\(ingested.body)")
        #expect(ingested.object["received"] as? Int == 2)
        // Extra keys are custom columns, kept in the order's props.
        let orders = #"[{"member":"m1","ts":"2025-11-01","amount":12.5,"category":"pet","id":"o1","quantity":2,"props":{"store":"sh-01"}},{"member":"m3","ts":1761955200,"amount":3}]"#
        let first = try await s.send(.POST, "/v1/orders", body: orders)
        #expect(first.status == 200)
        #expect(first.object["membersCreated"] as? Int == 1)
        let again = try await s.send(.POST, "/v1/orders", body: #"{"member":"m1","ts":"2025-11-01","amount":12.5,"id":"o1"}"#)
        #expect(again.object["duplicates"] as? Int == 1)
        let m1 = try await s.send(.GET, "/v1/members/m1", as: "alice")
        #expect(m1.status == 200)
        let attributes = m1.object["attributes"] as? [String: Any]
        #expect(attributes?["region"] as? String == "south")
        #expect(attributes?["vip"] as? Bool == true)
        #expect((m1.object["identities"] as? [String: String])?["wechat"] == "wx1")
        let count = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") }
        #expect(count == 2)
        let props = try await s.pool.read { db in try String.fetchOne(db, sql: "SELECT props FROM orders WHERE order_key = 'o1'") }
        #expect(props == #"{"quantity":2,"store":"sh-01"}"#)
        let query = try await s.send(.POST, "/v1/query", as: "alice", body: #"{"query":"sum(orders.quantity) == 2 and count(orders, 3650d) >= 1"}"#)
        #expect(query.status == 200, "\(query.body)")
        #expect(query.object["count"] as? Int == 1)
        #expect(try await s.send(.GET, "/v1/members/nobody").status == 404)
        try await s.stop()
    }

    @Test func invalidRecordsStoreNothing() async throws {
        let s = try await TestServer.start()
        let body = #"[{"member":"m1","ts":"2025-11-01","type":"cart"},{"member":"m2","type":"cart"},{"ts":"nope","type":"x"}]"#
        let reply = try await s.send(.POST, "/v1/events", body: body)
        #expect(reply.status == 400)
        let errors = reply.object["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { $0["index"] as? Int == 1 && $0["field"] as? String == "ts" })
        #expect(errors.contains { $0["index"] as? Int == 2 && $0["field"] as? String == "member" })
        let events = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") }
        #expect(events == 0)
        #expect(try await s.send(.POST, "/v1/events", body: "{not json").status == 400)
        let huge = String(repeating: " ", count: 17 << 20)
        #expect(try await s.send(.POST, "/v1/events", body: huge).status == 413)
        try await s.stop()
    }

    @Test func authFailuresAreRefusedAndAudited() async throws {
        let s = try await TestServer.start { rules, _ in
            try Self.carted.write(to: rules.appendingPathComponent("carted.lua"), atomically: true, encoding: .utf8)
        }
        #expect(try await s.send(.GET, "/v1/tags", as: nil).status == 401)
        #expect(try await s.send(.GET, "/v1/tags", as: "tagd_forged").status == 401)
        #expect(try await s.send(.GET, "/healthz", as: nil).status == 200)
        let denied = try await s.send(.POST, "/v1/tags/carted/approve", as: "alice", body: "{}")
        #expect(denied.status == 403, "\(denied.body)")
        #expect(try await s.send(.GET, "/v1/audit", as: "alice").status == 403)
        #expect(try await s.send(.POST, "/v1/tags/carted/retire", as: "bob", body: #"{"reason":"x"}"#).status == 403)
        let approved = try await s.send(.POST, "/v1/tags/carted/approve", as: "bob", body: #"{"reason":"looks right"}"#)
        #expect(approved.status == 200, "\(approved.body)")
        #expect(approved.object["state"] as? String == "active")
        let illegal = try await s.send(.POST, "/v1/tags/carted/restore", as: "root", body: "{}")
        #expect(illegal.status == 409)
        let audit = try await s.send(.GET, "/v1/audit", as: "bob")
        let entries = audit.json as? [[String: Any]] ?? []
        let denials = entries.filter { $0["action"] as? String == "denied" }
        #expect(denials.count >= 4)
        #expect(denials.contains { $0["actor"] as? String == "anonymous" })
        #expect(denials.contains { $0["actor"] as? String == "alice" })
        let metrics = try await s.send(.GET, "/metrics", as: nil)
        #expect(metrics.body.contains("tagd_http_denied_total{status=\"401\"} 2"))
        try await s.stop()
    }

    @Test func realtimeTagFlipsWithinTheRequest() async throws {
        let s = try await TestServer.start { rules, pool in
            try Self.carted.write(to: rules.appendingPathComponent("carted.lua"), atomically: true, encoding: .utf8)
            try pool.write { db in
                try db.execute(sql: "INSERT INTO members(external_id, attrs, created_at, updated_at) VALUES ('m1', '{}', 0, 0)")
            }
        }
        try s.approve("carted")
        // The scheduler loads the new realtime tag (a full run) within a tick.
        #expect(try await s.eventually { s.server.state.realtime.tags == ["carted"] })
        let now = s.clock.withLockedValue { $0 }
        let ts = Int(now.timeIntervalSince1970) - 60
        let reply = try await s.send(.POST, "/v1/events", body: #"{"member":"m1","ts":\#(ts),"type":"cart","category":"pet"}"#)
        #expect(reply.status == 200, "\(reply.body)")
        let realtime = reply.object["realtime"] as? [String: Any]
        let changes = realtime?["changes"] as? [[String: Any]] ?? []
        #expect(changes.count == 1)
        #expect(changes.first?["tag"] as? String == "carted")
        #expect(changes.first?["member"] as? String == "m1")
        #expect(changes.first?["change"] as? String == "gained")
        let profile = try await s.send(.GET, "/v1/members/m1")
        let tags = profile.object["tags"] as? [[String: Any]] ?? []
        #expect(tags.contains { $0["tag"] as? String == "carted" && $0["value"] as? String == "true" })
        // A browse event changes nothing; history records the realtime run.
        let browse = try await s.send(.POST, "/v1/events", body: #"{"member":"m1","ts":\#(ts),"type":"browse"}"#)
        #expect(((browse.object["realtime"] as? [String: Any])?["changes"] as? [Any])?.isEmpty == true)
        let history = try await s.send(.GET, "/v1/members/m1/history")
        #expect((history.json as? [[String: Any]])?.first?["change"] as? String == "gained")
        try await s.stop()
    }

    @Test func aFailingRealtimeRuleNeverUndoesTheIngest() async throws {
        let fragile = """
            return tag "fragile" { title = "F", category = "t/f", owner = "crm", kind = "flag", refresh = "realtime",
              features = { n = count("events") },
              evaluate = function(m) if m.id == "boom" then error("cannot handle " .. m.id) end return m.n > 0 end }
            """
        let s = try await TestServer.start { rules, _ in
            try fragile.write(to: rules.appendingPathComponent("fragile.lua"), atomically: true, encoding: .utf8)
        }
        try s.approve("fragile")
        #expect(try await s.eventually { s.server.state.realtime.tags == ["fragile"] })
        let ts = Int(s.clock.withLockedValue { $0 }.timeIntervalSince1970) - 60
        let reply = try await s.send(.POST, "/v1/events", body: #"[{"member":"ok","ts":\#(ts),"type":"browse"},{"member":"boom","ts":\#(ts),"type":"browse"}]"#)
        #expect(reply.status == 200, "\(reply.body)")
        let realtime = reply.object["realtime"] as? [String: Any]
        #expect((realtime?["errors"] as? [String])?.first?.contains("fragile.lua:3") == true, "\(reply.body)")
        // The events are stored; the failing rule changed nothing and its run is recorded as failed.
        let (events, live, failed) = try await s.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM member_tags") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM runs WHERE trigger = 'realtime' AND status = 'failed'") ?? 0)
        }
        #expect(events == 2)
        #expect(live == 0)
        #expect(failed == 1)
        try await s.stop()
    }

    @Test func droppedRuleFileBecomesAProposal() async throws {
        let s = try await TestServer.start()
        try s.writeRule("carted.lua", Self.carted)
        #expect(try await s.eventually { try s.server.state.registry.overview().first?.state == "proposed" })
        let tags = try await s.send(.GET, "/v1/tags")
        #expect(((tags.object["tags"] as? [[String: Any]])?.first)?["state"] as? String == "proposed")
        try s.writeRule("broken.lua", "return tag \"broken\" {\n  title = ,\n}")
        #expect(try await s.eventually {
            try s.pool.read { db in try String.fetchOne(db, sql: "SELECT message FROM rule_errors") }?.contains("broken.lua:2") == true
        })
        let listed = try await s.send(.GET, "/v1/tags")
        #expect((listed.object["errors"] as? [String])?.first?.contains("broken.lua:2") == true)
        // Nothing became live on its own.
        #expect(try s.server.state.registry.liveVersions().isEmpty)
        try await s.stop()
    }

    @Test func paging() async throws {
        let s = try await TestServer.start { rules, _ in
            try Self.carted.write(to: rules.appendingPathComponent("carted.lua"), atomically: true, encoding: .utf8)
        }
        try s.approve("carted")
        let now = Int(s.clock.withLockedValue { $0 }.timeIntervalSince1970) - 60
        let events = (1...25).map { #"{"member":"m\#($0)","ts":\#(now),"type":"cart"}"# }.joined(separator: "\n")
        #expect(try await s.send(.POST, "/v1/events", body: events, contentType: "application/x-ndjson").status == 200)
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await s.send(.GET, "/v1/tags/carted/members?limit=10&value=true" + (cursor.map { "&cursor=\($0)" } ?? ""))
            seen += (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["member"] as? String }
            cursor = page.object["nextCursor"] as? String
        } while cursor != nil
        #expect(seen.count == 25)
        #expect(Set(seen).count == 25)
        try await s.stop()
    }
}
