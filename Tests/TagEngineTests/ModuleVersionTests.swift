import Foundation
import GRDB
import Testing

@testable import TagEngine

@Suite("Required libraries are part of a version")
struct ModuleVersionTests {
    @Test func editingALibraryIsAProposalAndTheApprovedSnapshotKeepsRunning() throws {
        let store = try TestStore()
        try store.seed()
        let plugins = store.rules.deletingLastPathComponent().appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins.appendingPathComponent("lib"), withIntermediateDirectories: true)
        let library = plugins.appendingPathComponent("lib/threshold.lua")
        try "return { min_spend = 50 }".write(to: library, atomically: true, encoding: .utf8)
        try store.write("big.lua", """
            local threshold = require "lib.threshold"
            return tag "big" { title = "Big", category = "t/m", owner = "crm", kind = "flag", refresh = "hourly",
              features = { spend = sum("orders.amount") },
              evaluate = function(m) return m.spend >= threshold.min_spend end }
            """)
        let catalog = RuleCatalog(directory: store.rules, pluginsDirectory: plugins)
        let runner = TagRunner(pool: store.pool, pluginsDirectory: plugins)
        func run() throws -> [String: String] {
            _ = try runner.run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
            return try store.values("big")
        }
        let first = try catalog.scan()
        #expect(first.first?.modules == ["lib.threshold": "return { min_spend = 50 }"])
        try store.registry.sync(first)
        _ = try store.registry.approve(name: "big", actor: "bob", files: first)
        #expect(try run() == ["a": "true"])  // a spent 200, b 15

        // The library changes: a new proposal; the approved snapshot still runs.
        try "return { min_spend = 10 }".write(to: library, atomically: true, encoding: .utf8)
        let second = try catalog.scan()
        #expect(second.first?.hash != first.first?.hash)
        #expect(try store.registry.sync(second).proposed == ["big"])
        #expect(try run() == ["a": "true"])
        _ = try store.registry.approve(name: "big", actor: "carol", files: second)
        #expect(try run() == ["a": "true", "b": "true"])
    }
}
