import Foundation
import GRDB
import LuaHost
import MemberStore

@testable import TagEngine

/// A temporary store with a rules directory, for engine tests.
struct TestStore {
    let store: MemberStore
    let rules: URL
    static let day: Int64 = 86_400
    /// The reference time every test runs at: 2024-01-31T00:00:00Z.
    static let asOf: Int64 = 1_706_659_200

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-test-\(UUID().uuidString)")
        rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        store = try MemberStore(path: dir.appendingPathComponent("store.sqlite").path)
        let users = Users(pool: store.pool)
        try users.add(name: "root", role: .admin, actor: nil)
        try users.add(name: "alice", role: .operator, actor: "root")
        try users.add(name: "bob", role: .approver, actor: "root")
        try users.add(name: "carol", role: .approver, actor: "root")
    }

    var pool: DatabasePool { store.pool }
    var registry: TagRegistry { TagRegistry(pool: pool) }
    var runner: TagRunner { TagRunner(pool: pool, limits: LuaLimits(instructionsPerCall: 1_000_000, memoryBytes: 32 << 20)) }
    var asOfDate: Date { Date(timeIntervalSince1970: TimeInterval(Self.asOf)) }

    /// `days` days before the reference time.
    static func ago(_ days: Double) -> Int64 { asOf - Int64(days * Double(day)) }

    func write(_ file: String, _ source: String) throws {
        let url = rules.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try source.write(to: url, atomically: true, encoding: .utf8)
    }

    func scan(plugins: URL? = nil) throws -> [RuleFile] { try RuleCatalog(directory: rules, pluginsDirectory: plugins).scan() }

    /// Syncs the rules directory and approves `name` as a second person
    /// (`plugins`: where the rules' `require` finds libraries).
    func approve(_ name: String, plugins: URL? = nil) throws {
        let files = try scan(plugins: plugins)
        try registry.sync(files, actor: "alice")
        _ = try registry.approve(name: name, actor: "bob", files: files)
    }

    func run(_ names: [String]? = nil) throws -> [RunReport] {
        try runner.run(try registry.liveVersions(names: names), asOf: asOfDate, trigger: "test")
    }

    /// Live values of `tag` by external id.
    func values(_ tag: String) throws -> [String: String] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.external_id, mt.value FROM member_tags mt JOIN members m ON m.id = mt.member_id
                JOIN tags t ON t.id = mt.tag_id WHERE t.name = ?
                """, arguments: [tag])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        }
    }

    /// Three members: `a` buys often, `b` once long ago, `c` only browses; `d` has nothing.
    func seed() throws {
        _ = try store.ingest(members: ["a", "b", "c", "d"].map { MemberInput(externalID: $0, region: $0 == "a" ? "south" : "north") })
        _ = try store.ingest(orders: [
            OrderInput(member: "a", ts: Self.ago(2), amount: 30, category: "pet"),
            OrderInput(member: "a", ts: Self.ago(10), amount: 20, category: "books"),
            OrderInput(member: "a", ts: Self.ago(40), amount: 50, category: "pet", paid: false),
            OrderInput(member: "a", ts: Self.ago(400), amount: 100, category: "pet"),
            OrderInput(member: "b", ts: Self.ago(200), amount: 15, category: "books"),
            OrderInput(member: "a", ts: Self.asOf + 10 * Self.day, amount: 999, category: "future"),
        ])
        _ = try store.ingest(events: [
            EventInput(member: "c", ts: Self.ago(1), type: "cart", category: "pet"),
            EventInput(member: "c", ts: Self.ago(3), type: "favourite", category: "home"),
            EventInput(member: "c", ts: Self.ago(20), type: "browse", category: "home"),
            EventInput(member: "c", ts: Self.ago(25), type: "browse", category: "home"),
            EventInput(member: "a", ts: Self.ago(5), type: "browse", category: "pet"),
        ])
    }
}
