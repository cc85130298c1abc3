import AsyncHTTPClient
import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

@Suite("Outbox delivery", .serialized)
struct DeliveryTests {
    static let spender = """
        return tag "spender" { title = "S", category = "t/s", owner = "crm", kind = "flag", refresh = "hourly",
          features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend > 0 end }
        """

    static func segment(url: String) -> String {
        """
        return segment "buyers" { title = "Buyers", category = "campaign/t", owner = "crm", refresh = "hourly",
          where = function(m) return m.tags.spender == "true" end,
          reach = { webhook = { url = "\(url)" }, flaky = { } } }
        """
    }

    /// Fails for members whose attr.flaky is true, else writes a file line.
    static let flaky = """
        return plugin "flaky" { version = "1",
          on_enter = function(member, ctx)
            if member.attr.flaky then error("gateway down for " .. member.id) end
            ctx.outbox.emit { to = "file", path = "flaky.txt", line = member.id }
          end }
        """

    /// A store with three buyers (m1 flaky), the shipped webhook plugin and the segment.
    func prepare(_ rules: URL, _ pool: DatabasePool, url: String) throws {
        let root = rules.deletingLastPathComponent()
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let plugins = root.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repo.appendingPathComponent("plugins/webhook.lua"), to: plugins.appendingPathComponent("webhook.lua"))
        try Self.flaky.write(to: plugins.appendingPathComponent("flaky.lua"), atomically: true, encoding: .utf8)
        try Self.spender.write(to: rules.appendingPathComponent("spender.lua"), atomically: true, encoding: .utf8)
        try Self.segment(url: url).write(to: rules.appendingPathComponent("buyers.lua"), atomically: true, encoding: .utf8)
        try pool.write { db in
            for i in 1...3 {
                let attrs = i == 1 ? #"{"flaky":true}"# : "{}"
                try db.execute(
                    sql: "INSERT INTO members(id, external_id, attrs, created_at, updated_at) VALUES (?, ?, ?, 0, 0)",
                    arguments: [i, "m\(i)", attrs])
                try db.execute(sql: "INSERT INTO orders(member_id, ts, amount) VALUES (?, 1000, 5)", arguments: [i])
            }
        }
    }

    func runAll(_ s: TestServer) throws {
        let files = try s.server.state.sync()
        let registry = TagRegistry(pool: s.pool)
        _ = try registry.approve(name: "spender", actor: "bob", files: files)
        _ = try registry.approve(name: "buyers", actor: "bob", files: files)
        _ = try TagRunner(pool: s.pool, pluginsDirectory: s.root.appendingPathComponent("plugins"))
            .run(try registry.liveVersions(names: ["spender", "buyers"]), asOf: Date(), trigger: "test")
    }

    func webhooks(_ s: TestServer, _ status: String) throws -> Int {
        try s.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND status = ?", arguments: [status]) ?? 0
        }
    }

    func statuses(_ s: TestServer) throws -> [String: Int] {
        try s.pool.read { db in try OutboxStore.counts(in: db) }
    }

    @Test func deliversAfterTheReceiverRecoversWithExactlyOneEffect() async throws {
        // The receiver applies the first two requests but answers 503: the outbox retries them.
        let receiver = try await WebhookReceiver.start(failFirst: 2)
        let s = try await TestServer.start { rules, pool in try prepare(rules, pool, url: receiver.url) }
        try runAll(s)
        #expect(try await s.eventually(60) { try webhooks(s, "delivered") == 3 })
        let state = receiver.state.withLockedValue { $0 }
        #expect(state.effects.count == 3)  // m1, m2, m3 each once
        // Two of them twice at least (a slow answer past the request timeout is retried too).
        #expect(state.attempts.count >= 5)
        #expect(Set(state.attempts).count == 3)
        #expect(state.effects.values.allSatisfy { $0.contains("\"event\":\"entered\"") })
        // The flaky hook is queued for retry, and the plugin error is recorded.
        #expect(try statuses(s)["pending"] == 1)
        let errors = try await s.pool.read { db in try String.fetchAll(db, sql: "SELECT error FROM plugin_errors") }
        #expect(errors.allSatisfy { $0.contains("gateway down for m1") })
        // Once m1 is fixed the retried hook runs, and its message is delivered.
        try await s.pool.write { db in try db.execute(sql: "UPDATE members SET attrs = '{}' WHERE id = 1") }
        #expect(try await s.eventually { try statuses(s)["pending"] == nil })
        let lines = try String(contentsOf: s.root.appendingPathComponent("exports/flaky.txt"), encoding: .utf8)
        #expect(lines.split(separator: "\n").sorted() == ["m1", "m2", "m3"])
        try await s.stop()
        try await receiver.stop()
    }

    @Test func aRestartDeliversWhatWasPending() async throws {
        // No receiver yet: every delivery fails and stays pending.
        let probe = try await WebhookReceiver.start()
        let port = probe.port
        try await probe.stop()
        let url = "http://127.0.0.1:\(port)/hook"
        let first = try await TestServer.start { rules, pool in try prepare(rules, pool, url: url) }
        try runAll(first)
        #expect(try await first.eventually(3) { try first.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND attempts > 0") } == 3 })
        try await first.stop()
        #expect(try webhooks(first, "delivered") == 0)
        // The receiver comes up and a new server process opens the same store.
        let receiver = try await WebhookReceiver.start(port: port)
        let second = try await TestServer.start(root: first.root)
        #expect(try await second.eventually { try second.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND status = 'delivered'") } == 3 })
        #expect(receiver.state.withLockedValue { $0.effects.count } == 3)
        try await second.stop()
        try await receiver.stop()
    }

    @Test func deadMessagesCanBeRetried() async throws {
        let s = try await TestServer.start { rules, pool in try prepare(rules, pool, url: "http://127.0.0.1:9/hook") }
        try await s.pool.write { db in try db.execute(sql: "UPDATE members SET attrs = '{}'") }
        try runAll(s)
        try await s.pool.write { db in try db.execute(sql: "UPDATE outbox SET status = 'dead', attempts = 100 WHERE channel = 'webhook'") }
        let revived = try await s.pool.write { db in try OutboxStore.retry(in: db) }
        #expect(revived == 3)
        #expect(try webhooks(s, "pending") == 3)
        try await s.stop()
    }
}
