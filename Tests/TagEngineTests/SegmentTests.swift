import Foundation
import GRDB
import Testing

@testable import TagEngine

@Suite("Segments and reach plugins")
struct SegmentTests {
    static let spender = """
        return tag "spender" { title = "S", category = "t/s", owner = "crm", kind = "flag", refresh = "hourly",
          features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend > 0 end }
        """

    static func segment(_ whereBody: String = "return m.tags.spender == 'true' and m.attr.region == 'south'", reach: String = "") -> String {
        """
        return segment "south_spenders" {
          title = "South spenders", category = "campaign/test", owner = "crm", refresh = "hourly",
          where = function(m) \(whereBody) end,
          reach = { \(reach) },
        }
        """
    }

    /// A recorder plugin: emits a file line per transition; fails for members whose attr.flaky is true.
    static let recorder = """
        return plugin "recorder" {
          version = "1.0",
          config = { prefix = { type = "string", required = true }, limit = { type = "integer", default = 10 } },
          on_enter = function(member, ctx)
            if member.attr.flaky then error("gateway exploded for " .. member.id) end
            ctx.outbox.emit { to = "file", path = "rec/" .. ctx.segment .. ".txt", line = ctx.config.prefix .. " in " .. member.id }
          end,
          on_leave = function(member, ctx)
            ctx.outbox.emit { to = "file", path = "rec/" .. ctx.segment .. ".txt", line = ctx.config.prefix .. " out " .. member.id }
          end,
          on_run = function(summary, ctx)
            ctx.outbox.emit { to = "file", path = "rec/runs.txt", line = ctx.segment .. " +" .. summary.entered .. " -" .. summary.left }
          end,
        }
        """

    func store(reach: String = "recorder = { prefix = 'hi' }") throws -> TestStore {
        let store = try TestStore()
        try store.seed()
        let plugins = store.rules.deletingLastPathComponent().appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        try Self.recorder.write(to: plugins.appendingPathComponent("recorder.lua"), atomically: true, encoding: .utf8)
        try store.write("spender.lua", Self.spender)
        try store.write("segment.lua", Self.segment(reach: reach))
        return store
    }

    func scan(_ store: TestStore) throws -> [RuleFile] {
        try RuleCatalog(directory: store.rules, pluginsDirectory: store.rules.deletingLastPathComponent().appendingPathComponent("plugins")).scan()
    }

    func runner(_ store: TestStore) -> TagRunner {
        TagRunner(pool: store.pool, pluginsDirectory: store.rules.deletingLastPathComponent().appendingPathComponent("plugins"))
    }

    func approveAll(_ store: TestStore) throws {
        let files = try scan(store)
        try store.registry.sync(files)
        _ = try store.registry.approve(name: "spender", actor: "bob", files: files)
        _ = try store.registry.approve(name: "south_spenders", actor: "bob", files: files)
    }

    func outbox(_ store: TestStore) throws -> [(kind: String, transition: String, payload: String, status: String)] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, transition, payload, status FROM outbox ORDER BY id").map {
                ($0["kind"], $0["transition"], $0["payload"], $0["status"])
            }
        }
    }

    @Test func segmentRunsAfterItsTagsAndReachesThroughTheOutbox() throws {
        let store = try store()
        // The segment reads a tag that is not active yet: approval is refused.
        let files = try scan(store)
        try store.registry.sync(files)
        let early = #expect(throws: LifecycleError.self) { try store.registry.approve(name: "south_spenders", actor: "bob", files: files) }
        #expect(early?.message.contains("reads tags that are not active: spender") == true)
        try approveAll(store)
        let reports = try runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
        #expect(reports.map(\.tag) == ["spender", "south_spenders"])
        #expect(try store.values("south_spenders") == ["a": "true"])
        let messages = try outbox(store)
        #expect(messages.count == 2)
        #expect(messages[0].payload.contains("hi in a"))
        #expect(messages[1].payload.contains("south_spenders +1 -0"))
        // a leaves when the region changes: history says lost, the plugin says out.
        try store.pool.write { db in try db.execute(sql: "UPDATE members SET region = 'north' WHERE external_id = 'a'") }
        _ = try runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
        #expect(try store.values("south_spenders").isEmpty)
        #expect(try outbox(store).map(\.transition) == ["entered", "run", "left", "run"])
    }

    @Test func pluginConfigIsValidatedAgainstItsSchema() throws {
        for (reach, message) in [
            ("recorder = { }", "missing required setting 'prefix'"),
            ("recorder = { prefix = 1 }", "setting 'prefix' must be a string"),
            ("recorder = { prefix = 'x', color = 'red' }", "unknown setting 'color'"),
            ("nosuch = { }", "no plugin named nosuch"),
        ] {
            let store = try store(reach: reach)
            let file = try scan(store).first { $0.path == "segment.lua" }
            guard case .failure(let error) = file?.outcome else { Issue.record("accepted \(reach)"); continue }
            #expect(error.description.contains(message), "\(error)")
            #expect(error.line == 1)
        }
    }

    @Test func aFailingPluginNeitherBlocksTheRunNorLosesItsMessages() throws {
        let store = try store()
        try store.pool.write { db in try db.execute(sql: "UPDATE members SET attrs = '{\"flaky\":true}' WHERE external_id = 'a'") }
        try approveAll(store)
        let reports = try runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
        #expect(reports.allSatisfy { $0.status == "succeeded" })
        #expect(try store.values("south_spenders") == ["a": "true"])
        let queued = try outbox(store)
        #expect(queued.map(\.kind) == ["hook", "message"])
        let errors = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT error FROM plugin_errors") }
        #expect(errors.first?.contains("gateway exploded for a") == true)
        #expect(errors.first?.contains("plugins/recorder.lua:") == true)
    }

    @Test func queryReadsTagsAndAttributes() throws {
        let store = try store()
        try approveAll(store)
        _ = try runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
        let export = try SegmentExport(pool: store.pool, name: "south_spenders", columns: ["region", "attr.missing"])
        let rows = try export.page()
        #expect(rows.map(\.member) == ["a"])
        #expect(rows.first?.attributes == ["region": "south"])
        #expect(throws: LifecycleError.self) { try SegmentExport(pool: store.pool, name: "x", columns: ["password"]) }
    }
}
