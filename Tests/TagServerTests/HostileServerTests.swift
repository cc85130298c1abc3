import Foundation
import GRDB
import Testing

@testable import TagEngine
@testable import TagServer

/// Hostile rules against a running server: it keeps answering, realtime
/// ingest keeps its data and other rules' values, and it still shuts down.
@Suite("A hostile rule never stops the server", .serialized)
struct HostileServerTests {
    static let carted = ServerTests.carted

    /// A realtime rule whose pattern would backtrack for ever, and one that replaces `string.lower`.
    static let bomb = """
        string.lower = function() return "pwned" end
        return tag "bomb" { title = "B", category = "t/b", owner = "x", kind = "flag", refresh = "realtime",
          features = { n = count("events") },
          evaluate = function(m) return string.rep("a", 20000):find(".-.-.-.-.-.-.-.-b") ~= nil end }
        """
    static let lowerCase = """
        return tag "lowered" { title = "L", category = "t/l", owner = "x", kind = "label", refresh = "realtime",
          features = { n = count("events") },
          evaluate = function(m) return string.lower("ABC") end }
        """
    /// Loading it is the attack: its top level backtracks for ever.
    static let topLevelBomb = """
        local hit = string.rep("a", 20000):find(".-.-.-.-.-.-.-.-b")
        return tag "dropped" { title = "D", category = "t/d", owner = "x", kind = "flag", refresh = "hourly",
          evaluate = function(m) return hit ~= nil end }
        """

    @Test func realtimeIngestWithAHostileRuleKeepsDataAndOtherRules() async throws {
        let s = try await TestServer.start(
            setup: { rules, pool in
                try Self.carted.write(to: rules.appendingPathComponent("carted.lua"), atomically: true, encoding: .utf8)
                try Self.bomb.write(to: rules.appendingPathComponent("bomb.lua"), atomically: true, encoding: .utf8)
                try Self.lowerCase.write(to: rules.appendingPathComponent("lowered.lua"), atomically: true, encoding: .utf8)
                try pool.write { db in
                    try db.execute(sql: "INSERT INTO members(external_id, attrs, created_at, updated_at) VALUES ('m1', '{}', 0, 0)")
                }
            },
            configure: { $0.limits = .init(instructionsPerCall: 5_000_000, memoryBytes: 64 << 20) })
        for name in ["carted", "bomb", "lowered"] { try s.approve(name) }
        #expect(try await s.eventually(20) { Set(s.server.state.realtime.tags) == ["carted", "bomb", "lowered"] })
        let ts = Int(s.clock.withLockedValue { $0 }.timeIntervalSince1970) - 60
        let started = Date()
        let reply = try await s.send(.POST, "/v1/events", body: #"{"member":"m1","ts":\#(ts),"type":"cart","category":"pet"}"#)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(reply.status == 200, "\(reply.body)")
        let realtime = reply.object["realtime"] as? [String: Any]
        #expect((realtime?["errors"] as? [String])?.contains { $0.contains("bomb.lua:4") } == true, "\(reply.body)")
        let changes = realtime?["changes"] as? [[String: Any]] ?? []
        #expect(changes.contains { $0["tag"] as? String == "carted" && $0["change"] as? String == "gained" })
        // The bomb's `string.lower` stayed its own: the other realtime rule still lowers.
        let profile = try await s.send(.GET, "/v1/members/m1")
        let tags = profile.object["tags"] as? [[String: Any]] ?? []
        #expect(tags.contains { $0["tag"] as? String == "lowered" && $0["value"] as? String == "abc" }, "\(profile.body)")
        #expect(!tags.contains { $0["tag"] as? String == "bomb" })
        let events = try await s.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") }
        #expect(events == 1)
        try await s.stop()
    }

    @Test func aDroppedFileThatHangsOnLoadLeavesHealthAndReadsAnswering() async throws {
        let s = try await TestServer.start(configure: {
            $0.limits = .init(instructionsPerCall: 0, memoryBytes: 64 << 20, wallTimePerCall: .seconds(4))
        })
        try s.writeRule("dropped.lua", Self.topLevelBomb)
        async let pending = s.send(.GET, "/v1/pending")
        // While the watcher and the pending request load the file, the server answers.
        for _ in 0..<10 {
            let started = Date()
            let health = try await s.send(.GET, "/healthz", as: nil)
            #expect(health.status == 200)
            // Well under the file's 4 s hang, with room for a loaded machine.
            #expect(Date().timeIntervalSince(started) < 3)
            try await Task.sleep(for: .milliseconds(100))
        }
        let answered = try await pending
        #expect(answered.status == 200)
        #expect(try await s.eventually(10) {
            try s.pool.read { db in try String.fetchOne(db, sql: "SELECT message FROM rule_errors WHERE path = 'dropped.lua'") }?
                .contains("dropped.lua:1") == true
        })
        let stopping = Date()
        try await s.stop()
        #expect(Date().timeIntervalSince(stopping) < 10)
    }
}
