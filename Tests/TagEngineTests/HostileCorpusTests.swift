import Foundation
import GRDB
import LuaHost
import MemberStore
import Testing

@testable import TagEngine

/// Every file of `Fixtures/hostile/` dropped into `rules/` beside a good tag
/// and a segment with the shipped `csv_export` plugin: loading it (`check`,
/// the watcher, `pending`), planning it and running it all end within their
/// limits with `file:line`, and the good tag's values and the segment's
/// outbox messages are exactly what they are without it.
@Suite("Hostile rules are contained")
struct HostileCorpusTests {
    /// One hostile file and what the host must say about it.
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        /// Where loading fails (`nil`: the file loads).
        var loadError: String?
        /// What running it fails with (`nil`: it runs, harmlessly).
        var runError: String?
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "find_bomb.lua", runError: "hostile.lua:4"),
        Case(file: "find_bomb_top.lua", loadError: "hostile.lua:2"),
        Case(file: "gsub_bomb.lua", runError: "hostile.lua:"),
        Case(file: "pcall_loop.lua", runError: "hostile.lua:"),
        Case(file: "xpcall_handler.lua", runError: "hostile.lua:"),
        Case(file: "gc_finalizer.lua", loadError: "hostile.lua:2"),
        Case(file: "rep_bomb.lua", runError: "hostile.lua:"),
        Case(file: "replace_globals.lua"),
        Case(file: "dynamic_require.lua", loadError: "hostile.lua:3"),
        Case(file: "memory_bomb.lua", runError: "hostile.lua:5"),
        Case(file: "tostring_loop.lua", runError: "hostile.lua:"),
        Case(file: "escape.lua", runError: "hostile.lua:"),
    ]

    static let good = """
        return tag "spender" { title = "S", category = "t/s", owner = "crm", kind = "flag", refresh = "hourly",
          features = { spend = sum("orders.amount") },
          evaluate = function(m) return string.lower("YES") == "yes" and math.floor(m.spend) > 0 end }
        """
    static let segment = """
        return segment "south_spenders" {
          title = "South spenders", category = "campaign/test", owner = "crm", refresh = "hourly",
          where = function(m) return m.tags.spender == "true" and m.attr.region == "south" end,
          reach = { csv_export = { columns = { "region" } } },
        }
        """

    /// The shipped plugins, next to this file in the repository.
    static let shippedPlugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("plugins")

    static let limits = LuaLimits(instructionsPerCall: 2_000_000, memoryBytes: 64 << 20, wallTimePerCall: .seconds(2))

    struct Outcome: Equatable {
        var spender: [String: String]
        var segment: [String: String]
        var outbox: [String]
    }

    /// Runs the good rules (and `hostile`, if given) in one run; what the good ones produced.
    func outcome(hostile: String?) throws -> (Outcome, TestStore, [RunReport]) {
        let store = try TestStore()
        try store.seed()
        let plugins = store.rules.deletingLastPathComponent().appendingPathComponent("plugins")
        try FileManager.default.copyItem(at: Self.shippedPlugins, to: plugins)
        try store.write("spender.lua", Self.good)
        try store.write("segment.lua", Self.segment)
        if let hostile { try store.write("hostile.lua", hostile) }
        let catalog = RuleCatalog(directory: store.rules, pluginsDirectory: plugins, limits: Self.limits)
        let files = try catalog.scan()
        try store.registry.sync(files, actor: "alice")
        for name in ["spender", "south_spenders", "hostile"] where files.contains(where: { $0.name == name }) {
            _ = try store.registry.approve(name: name, actor: "bob", files: files)
        }
        let runner = TagRunner(pool: store.pool, limits: Self.limits, pluginsDirectory: plugins)
        let reports = try runner.run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
        let outbox = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT payload FROM outbox ORDER BY id") }
        return (Outcome(spender: try store.values("spender"), segment: try store.values("south_spenders"), outbox: outbox), store, reports)
    }

    @Test("a hostile rule is contained in check, plan and run", arguments: cases)
    func contained(_ hostileCase: Case) throws {
        let source = try String(
            contentsOf: try #require(Bundle.module.url(forResource: "Fixtures/hostile/\(hostileCase.file)", withExtension: nil)),
            encoding: .utf8)
        let (baseline, _, _) = try outcome(hostile: nil)
        #expect(baseline.spender == ["a": "true", "b": "true"])
        #expect(baseline.outbox.count == 1)

        let started = Date()
        let (outcome, store, reports) = try outcome(hostile: source)
        #expect(Date().timeIntervalSince(started) < 30, "scan, approval and run took \(Date().timeIntervalSince(started)) s")
        #expect(outcome == baseline, "other rules' values and messages changed")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/tagd-hostile-pwned"))

        let files = try RuleCatalog(directory: store.rules, limits: Self.limits).scan(only: ["hostile.lua"])
        if let loadError = hostileCase.loadError {
            guard case .failure(let error) = files.first?.outcome else { Issue.record("\(hostileCase) loaded"); return }
            #expect(error.description.contains(loadError), "\(error)")
            #expect(!reports.contains { $0.tag == "hostile" })
            return
        }
        let hostile = try #require(reports.first { $0.tag == "hostile" })
        if let runError = hostileCase.runError {
            #expect(hostile.status == "failed")
            #expect(hostile.error?.contains(runError) == true, "\(hostile.error ?? "no error")")
            print("hostile corpus: \(hostileCase.file): \(hostile.error ?? "")")
            // Planning it is bounded the same way.
            let planStarted = Date()
            let plan = #expect(throws: (any Error).self) {
                try TagRunner(pool: store.pool, limits: Self.limits)
                    .plan(source: source, file: "hostile.lua", tagName: "hostile", asOf: store.asOfDate)
            }
            #expect("\(plan.map { "\($0)" } ?? "")".contains("hostile.lua"), "\(String(describing: plan))")
            #expect(Date().timeIntervalSince(planStarted) < 15)
        } else {
            #expect(hostile.status == "succeeded", "\(hostile.error ?? "")")
        }
    }
}
