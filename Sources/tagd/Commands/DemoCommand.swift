import ArgumentParser
import Foundation
import MemberStore
import TagDemo
import TagEngine

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo store from seeded data, approve the shipped rules as user `demo`, run them, print a table.")

    @Option(help: "How many members to generate.") var members = 20_000
    @Option(help: "The random seed.") var seed: UInt64 = 42
    @Flag(help: "Replace an existing store given with --store.") var replace = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let path = options.store ?? ProcessInfo.processInfo.environment["TAGD_STORE"] ?? "tagd-demo.sqlite"
        if FileManager.default.fileExists(atPath: path) {
            guard replace || path == "tagd-demo.sqlite" else {
                throw CLIError("\(path) exists; pass --replace to overwrite it with demo data")
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try MemberStore(path: path)
        let asOf = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        var generation = DemoGenerator.Options(members: members, seed: seed, asOf: asOf)
        generation.accounts = true
        let generator = DemoGenerator(options: generation)
        let data = try generator.generate(into: store.pool) { p in
            Console.progress("generating: \(Console.count(p.membersDone)) / \(Console.count(p.membersTotal)) members, \(Console.count(p.rowsWritten)) rows")
        }
        Console.progress(data.description, final: true)
        let files = try options.catalog.scan()
        let registry = TagRegistry(pool: store.pool)
        // The demo admin acts as whoever runs the demo (the local CLI maps OS accounts to users).
        try Users(pool: store.pool).add(name: "demo", role: .admin, actor: "demo", osUser: Identity.currentOSUser)
        let sync = try registry.sync(files)
        for error in sync.errors { Console.note("rule error: \(error)") }
        for name in try Self.approvalOrder(files) where sync.proposed.contains(name) {
            _ = try registry.approve(name: name, actor: "demo", files: files, reason: "demo")
        }
        try Self.resolveIdentities(store, plugins: options.pluginsURL)
        let live = try registry.liveVersions()
        let reports = try TagRunner(pool: store.pool, pluginsDirectory: options.pluginsURL)
            .run(live, asOf: asOf, trigger: "demo", progress: RunCommand.showProgress)
        print(RunCommand.table(reports))
        let tagd = CommandLine.arguments.first ?? "tagd"
        print("store: \(path) — try: \(tagd) member M0000001 --store \(path); \(tagd) tag rfm_class --store \(path)")
        if reports.contains(where: { $0.status != "succeeded" }) { throw ExitCode(1) }
    }

    /// The identity step: the approved `rules/identity.lua` merges the people's further channel accounts into them.
    static func resolveIdentities(_ store: MemberStore, plugins: URL) throws {
        guard let policy = try IdentityRules.live(in: store.pool) else {
            Console.note("identity: no identity rules approved; the people's channel accounts stay apart")
            return
        }
        let started = Date()
        let merged = try IdentityMerges(pool: store.pool, pluginsDirectory: plugins).resolve(policy, actor: "demo")
        let (held, live) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM identity_candidates WHERE status = 'open'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM members WHERE merged_into IS NULL") ?? 0)
        }
        print(String(format: "identity: %@ channel accounts merged into their people by rules/identity.lua, %@ pairs held as merge candidates (tagd identity candidates); %@ live members; %.1f s",
                     Console.count(merged), Console.count(held), Console.count(live), Date().timeIntervalSince(started)))
    }

    /// Rule names in an order where every rule comes after the tags it reads.
    static func approvalOrder(_ files: [RuleFile]) throws -> [String] {
        let rules = files.compactMap { try? $0.outcome.get() }
        return try RunOrder.sort(rules, name: \.name, dependencies: \.dependencies).map(\.name)
    }
}
