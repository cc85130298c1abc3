import Foundation
import GRDB
import MemberStore
import TagDemo
import TagEngine

/// `tagd bench identity`: people with 1-4 channel accounts imported with
/// and without identity resolution side by side, the merges scored against
/// the generator's truth, and a run of the shipped rules after the merges.
struct IdentityBench {
    let people: Int
    let directory: String
    let rules: URL
    let plugins: URL

    func run() throws {
        let asOf = Date(timeIntervalSince1970: 1_767_225_600)
        let folder = URL(fileURLWithPath: directory)
        try? FileManager.default.removeItem(at: folder)
        let started = Date()
        let output = try IdentityPeople(people: people, asOf: Int64(asOf.timeIntervalSince1970)).write(into: folder) { done in
            Console.progress("generating: \(Console.count(done)) / \(Console.count(people)) people")
        }
        Console.progress(
            String(format: "generated %@ people, %@ accounts (%.2f per person), %@ orders in %.1f s", Console.count(people),
                   Console.count(output.accounts), Double(output.accounts) / Double(max(people, 1)), Console.count(output.orders),
                   Date().timeIntervalSince(started)), final: true)
        let files = try RuleCatalog(directory: rules, pluginsDirectory: plugins).scan()
        guard let rulesFile = files.first(where: { IdentityRules.isIdentityFile($0.path) }) else {
            throw CLIError("no \(IdentityRules.file) in \(rules.path)")
        }
        var policy = try IdentityRules.parse(source: rulesFile.source, file: rulesFile.path)
        policy.version = rulesFile.hash

        // Without resolution: each account is a member named by its own id (today's import).
        let plain = try fresh(folder.appendingPathComponent("plain.sqlite"))
        let plainSummary = try importFile(plain, folder.appendingPathComponent("accounts-by-id.ndjson"), policy: nil)
        // With resolution: accounts named only by identities, resolved by the shipped rules.
        let store = try fresh(folder.appendingPathComponent("resolved.sqlite"))
        let resolved = try importFile(store, folder.appendingPathComponent("accounts.ndjson"), policy: policy)
        let ordersPlain = try importFile(plain, folder.appendingPathComponent("orders.ndjson"), policy: nil)
        let ordersResolved = try importFile(store, folder.appendingPathComponent("orders.ndjson"), policy: policy)
        print(String(format: "import of %@ accounts without resolution (member ids): %.2f s, %@ rows/s", Console.count(output.accounts),
                     plainSummary.seconds, Console.count(Int(Double(plainSummary.rowsRead) / plainSummary.seconds))))
        print(String(format: "import of %@ accounts with resolution (identities only): %.2f s, %@ rows/s (%.2fx the time); %@ members, %@ merges, %@ conflicts, %@ blocked values",
                     Console.count(output.accounts), resolved.seconds, Console.count(Int(Double(resolved.rowsRead) / resolved.seconds)),
                     resolved.seconds / plainSummary.seconds, Console.count(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM members WHERE merged_into IS NULL") ?? 0 }),
                     Console.count(resolved.counts.merges), Console.count(resolved.counts.conflicts), Console.count(resolved.counts.blockedIdentities)))
        print(String(format: "import of %@ orders named by a channel identity: %.2f s, %@ rows/s (by identity, without rules: %.2f s, %@ rows/s)",
                     Console.count(output.orders), ordersResolved.seconds, Console.count(Int(Double(ordersResolved.rowsRead) / ordersResolved.seconds)),
                     ordersPlain.seconds, Console.count(Int(Double(ordersPlain.rowsRead) / ordersPlain.seconds))))
        try score(store, output: output)
        // The shipped rules over the merged members.
        try store.pool.write { db in try db.execute(sql: "INSERT OR IGNORE INTO users(name, role, created_at) VALUES ('bench', 'admin', 0)") }
        let registry = TagRegistry(pool: store.pool)
        try registry.sync(files)
        for name in try DemoCommand.approvalOrder(files) { _ = try? registry.approve(name: name, actor: "bench", files: files) }
        let live = try registry.liveVersions().filter { $0.tag.kind == "tag" }
        let runStarted = Date()
        let reports = try TagRunner(pool: store.pool, pluginsDirectory: plugins).run(live, asOf: asOf, trigger: "bench")
        Console.progress("", final: false)
        print(String(format: "tagd run after the merges: %d shipped tags over %@ live members in %.2f s (%d failed)", reports.count,
                     Console.count(reports.first?.members ?? 0), Date().timeIntervalSince(runStarted),
                     reports.filter { $0.status != "succeeded" }.count))
        print("peak memory (max RSS): \(PeakMemory.megabytes) MB")
    }

    func fresh(_ url: URL) throws -> MemberStore {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
        return try MemberStore(path: url.path)
    }

    func importFile(_ store: MemberStore, _ file: URL, policy: IdentityPolicy?) throws -> ImportSummary {
        var options = ImportOptions()
        options.identityPolicy = policy
        let summary = try store.importFile(file.path, kind: file.lastPathComponent.hasPrefix("orders") ? .orders : .members, options: options) { p in
            Console.progress("importing \(file.lastPathComponent): \(Console.count(p.rowsRead)) rows, \(Console.count(Int(p.rowsPerSecond))) rows/s")
        }
        Console.progress("", final: false)
        return summary
    }

    /// Pairwise precision and recall of "same member" against "same person", and the largest cluster.
    func score(_ store: MemberStore, output: IdentityPeople.Output) throws {
        var cells: [Int64: [Int32: Int]] = [:]
        var persons: [Int32: Int] = [:]
        let channels = IdentityPeople.channels.map { "'\($0)'" }.joined(separator: ",")
        try store.pool.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT external_id, member_id FROM identities WHERE channel IN (\(channels))")
            while let row = try rows.next() {
                guard let person = IdentityPeople.person(ofAccount: row[0]) else { continue }
                cells[row[1], default: [:]][Int32(person), default: 0] += 1
                persons[Int32(person), default: 0] += 1
            }
        }
        func pairs(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
        let truePairs = cells.values.reduce(0.0) { $0 + $1.values.reduce(0.0) { $0 + pairs($1) } }
        let predicted = cells.values.reduce(0.0) { $0 + pairs($1.values.reduce(0, +)) }
        let actual = persons.values.reduce(0.0) { $0 + pairs($1) }
        let largest = cells.values.map { $0.values.reduce(0, +) }.max() ?? 0
        let exact = persons.count
        let members = cells.count
        print(String(format: "merges against the truth (pairs of accounts): precision %.4f, recall %.4f; %@ people became %@ members; largest cluster %d accounts",
                     predicted > 0 ? truePairs / predicted : 1, actual > 0 ? truePairs / actual : 1, Console.count(exact), Console.count(members), largest))
    }
}
