import Foundation
import GRDB
import Testing

@testable import TagEngine

@Suite("Run safety")
struct RunSafetyTests {
    static let good = """
        return tag "buyer" {
          title = "Buyer", category = "test/run", owner = "qa", kind = "flag", refresh = "hourly",
          features = { n = count("orders") },
          evaluate = function(m) return m.n > 0 end,
        }
        """

    /// The same tag, breaking on member `b` in the way `body` says.
    static func broken(_ body: String) -> String {
        """
        return tag "buyer" {
          title = "Buyer", category = "test/run", owner = "qa", kind = "flag", refresh = "hourly",
          features = { n = count("orders") },
          evaluate = function(m)
            if m.id == "b" then
              \(body)
            end
            return m.n == 0
          end,
        }
        """
    }

    /// A store whose `buyer` tag ran once; then the file is replaced by `source` and approved.
    func storeWithLiveValues(thenApprove source: String) throws -> TestStore {
        let store = try TestStore()
        try store.seed()
        try store.write("buyer.lua", Self.good)
        try store.approve("buyer")
        #expect(try store.run().first?.status == "succeeded")
        #expect(try store.values("buyer") == ["a": "true", "b": "true"])
        try store.write("buyer.lua", source)
        try store.approve("buyer")
        return store
    }

    func snapshot(_ store: TestStore) throws -> [String] {
        try store.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT tag_id || ':' || member_id || '=' || value || '@' || since FROM member_tags
                UNION ALL SELECT 'h' || count(*) FROM tag_history ORDER BY 1
                """)
        }
    }

    @Test("a failing rule changes nothing and says where and for whom", arguments: [
        ("while true do end", "instruction budget", 6),
        ("local s, t = string.rep('x', 1 << 20), {} for i = 1, 1e6 do t[i] = s .. i end", "memory limit", 6),
        ("os.execute('touch /tmp/tagd-pwned')", "attempt to index a nil value (global 'os')", 6),
        ("error('boom')", "boom", 6),
        ("return 'yes'", "expects true, false or nil", 1),
    ])
    func failingRule(body: String, message: String, line: Int) throws {
        let store = try storeWithLiveValues(thenApprove: Self.broken(body))
        let before = try snapshot(store)
        let report = try #require(try store.run().first)
        #expect(report.status == "failed")
        let error = try #require(report.error)
        #expect(error.contains(message), "\(error)")
        #expect(error.contains("buyer.lua:\(line)"), "\(error)")
        #expect(error.contains("member b"), "\(error)")
        #expect(try snapshot(store) == before)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/tagd-pwned"))
        let failed = try store.pool.read { db in try String.fetchOne(db, sql: "SELECT status FROM runs ORDER BY id DESC LIMIT 1") }
        #expect(failed == "failed")
    }

    @Test func onlyChangedMembersAreWritten() throws {
        let store = try storeWithLiveValues(thenApprove: Self.broken("-- nothing"))
        // The new version flips every member: a and b lose, c and d gain.
        let report = try #require(try store.run().first)
        #expect(report.status == "succeeded")
        #expect((report.gained, report.lost, report.changed) == (2, 2, 0))
        #expect(try store.values("buyer") == ["c": "true", "d": "true"])
        let again = try #require(try store.run().first)
        #expect((again.gained, again.lost, again.changed) == (0, 0, 0))
        let history = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT change FROM tag_history ORDER BY id")
        }
        #expect(history == ["gained", "gained", "lost", "lost", "gained", "gained"])
    }

    @Test func otherRulesStillCommitWhenOneFails() throws {
        let store = try TestStore()
        try store.seed()
        try store.write("buyer.lua", Self.broken("error('boom')"))
        try store.write("spender.lua", """
            return tag "spender" { title = "S", category = "t/s", owner = "qa", kind = "score", refresh = "hourly",
              features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend end }
            """)
        try store.approve("buyer")
        try store.approve("spender")
        let reports = try store.run()
        #expect(reports.map(\.status).sorted() == ["failed", "succeeded"])
        #expect(try store.values("spender") == ["a": "200", "b": "15", "c": "0", "d": "0"])
        #expect(try store.values("buyer").isEmpty)
    }
}
