import Foundation
import GRDB
import Testing

@testable import TagEngine

/// Approved means frozen: everything a version can execute is fixed with it,
/// and nothing the host reads or writes follows a symbolic link.
@Suite("Approved versions are frozen; links are refused")
struct FrozenVersionTests {
    let segments = SegmentTests()

    var pluginsOf: (TestStore) -> URL { { $0.rules.deletingLastPathComponent().appendingPathComponent("plugins") } }

    @Test func anEditedReachPluginIsAProposalAndTheLiveVersionKeepsTheApprovedOne() throws {
        let store = try segments.store()
        try segments.approveAll(store)
        let plugins = pluginsOf(store)
        let edited = SegmentTests.recorder.replacingOccurrences(of: "\" in \"", with: "\" EVIL \"")
        try edited.write(to: plugins.appendingPathComponent("recorder.lua"), atomically: true, encoding: .utf8)
        // The edit changes the segment's version hash: it is a new proposal.
        let files = try segments.scan(store)
        let report = try store.registry.sync(files)
        #expect(report.proposed.contains("south_spenders"))
        // The live version runs the plugin as approved.
        _ = try segments.runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
        let payloads = try segments.outbox(store).map(\.payload)
        #expect(payloads.contains { $0.contains("hi in a") }, "\(payloads)")
        #expect(!payloads.contains { $0.contains("EVIL") })
    }

    @Test func aFileMessageCannotInjectLines() throws {
        let store = try segments.store(reach: "recorder = { prefix = 'x\\ny' }")
        try segments.approveAll(store)
        _ = try segments.runner(store).run(try store.registry.liveVersions(), asOf: store.asOfDate, trigger: "test")
        let errors = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT error FROM plugin_errors") }
        #expect(errors.contains { $0.contains("must not contain line breaks") }, "\(errors)")
        #expect(try segments.outbox(store).allSatisfy { !$0.payload.contains("x\\ny in") })
        let exports = store.rules.deletingLastPathComponent().appendingPathComponent("exports")
        #expect(throws: SafeFileError.self) { try SafeFile.appendLine("a\nb", to: "x.txt", under: exports) }
        #expect(throws: SafeFileError.self) { try SafeFile.appendLine("a\rb", to: "x.txt", under: exports) }
    }

    @Test func symbolicLinksInRulesPluginsAndExportsAreRefused() throws {
        let store = try segments.store()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try SegmentTests.spender.replacingOccurrences(of: "\"spender\"", with: "\"linked\"")
            .write(to: outside.appendingPathComponent("linked.lua"), atomically: true, encoding: .utf8)
        let fm = FileManager.default
        try fm.createSymbolicLink(at: store.rules.appendingPathComponent("linked.lua"), withDestinationURL: outside.appendingPathComponent("linked.lua"))
        try fm.createSymbolicLink(at: store.rules.appendingPathComponent("dir"), withDestinationURL: outside)
        let files = try segments.scan(store)
        let linked = try #require(files.first { $0.path == "linked.lua" })
        guard case .failure(let error) = linked.outcome else { Issue.record("a linked rule loaded"); return }
        #expect(error.description.contains("symbolic link"), "\(error)")
        #expect(!files.contains { $0.path.hasPrefix("dir/") && $0.name != nil })
        // A reach plugin that is a link is refused.
        let plugins = pluginsOf(store)
        try fm.removeItem(at: plugins.appendingPathComponent("recorder.lua"))
        try SegmentTests.recorder.write(to: outside.appendingPathComponent("recorder.lua"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(at: plugins.appendingPathComponent("recorder.lua"), withDestinationURL: outside.appendingPathComponent("recorder.lua"))
        let segment = try #require(try segments.scan(store).first { $0.path == "segment.lua" })
        guard case .failure(let pluginError) = segment.outcome else { Issue.record("a linked plugin loaded"); return }
        #expect(pluginError.description.contains("symbolic link"), "\(pluginError)")
        // An exports folder entry that is a link is refused, and nothing lands outside.
        let exports = store.rules.deletingLastPathComponent().appendingPathComponent("exports")
        try fm.createDirectory(at: exports, withIntermediateDirectories: true)
        try fm.createSymbolicLink(at: exports.appendingPathComponent("rec"), withDestinationURL: outside)
        let refused = #expect(throws: SafeFileError.self) { try SafeFile.appendLine("hi", to: "rec/x.txt", under: exports) }
        #expect(refused?.description.contains("symbolic link") == true)
        #expect(!fm.fileExists(atPath: outside.appendingPathComponent("x.txt").path))
    }

    @Test func streamedFeaturesKeepTheMemberFilter() throws {
        let spec = try FeatureSpec.parse(
            function: .mode, arguments: [.string("events.category"), .table(["within": .string("90d")])])
        let plan = FeaturePlan(features: [spec], asOf: TestStore.asOf, members: [7, 9])
        #expect(plan.queries.count == 1)
        #expect(plan.queries[0].sql.contains("member_id IN (7,9)"), "\(plan.queries[0].sql)")
        #expect(plan.queries[0].sql.contains("ts > ?"))
    }
}
