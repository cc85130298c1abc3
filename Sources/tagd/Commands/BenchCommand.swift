import ArgumentParser
import Foundation
import GRDB
import MemberStore
import TagDemo
import TagEngine

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the shipped rules against hand-written SQL on a generated store (prints figures).")

    @Argument(help: """
        `identity`: the ONE-ID benchmark (people with 1-4 channel accounts) instead; `rfm`: only the refresh of \
        rfm_class and rfm_score after new orders for 1 % of the members, repeated on a store `tagd bench` made.
        """) var mode: String?
    @Option(help: "Rounds of `tagd bench rfm`.") var rounds = 3
    @Option(help: "People to generate for `tagd bench identity`.") var people = 1_000_000
    @Option(help: "Members to generate (about 10 events and 3 orders each).") var members = 1_000_000
    @Option(help: "The benchmark store (reused when it already has the requested members).")
    var store = "tagd-bench.sqlite"
    @Option(help: "The rules directory.") var rules = "rules"
    @Flag(help: "Also run the shipped segments (reach hooks write to the outbox).") var segments = false
    @Option(help: "The plugins directory.") var plugins = "plugins"

    func run() throws {
        let asOf = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01: fixed, so reruns reuse the data
        if mode == "rfm" {
            return try RefreshBench(store: store, plugins: URL(fileURLWithPath: plugins), rounds: rounds, asOf: asOf).run()
        }
        if let mode {
            guard mode == "identity" else { throw CLIError("unknown bench mode '\(mode)': expected identity or rfm") }
            return try IdentityBench(
                people: people, directory: "tagd-bench-identity", rules: URL(fileURLWithPath: rules), plugins: URL(fileURLWithPath: plugins)
            ).run()
        }
        let memberStore = try MemberStore(path: store)
        if try memberStore.counts().members != members {
            memberStore.pool.releaseMemory()
            try memberStore.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
            let fresh = try MemberStore(path: store)
            let data = try DemoGenerator(options: .init(members: members, asOf: asOf)).generate(into: fresh.pool) { p in
                Console.progress("generating: \(Console.count(p.membersDone)) / \(Console.count(p.membersTotal)) members")
            }
            Console.progress(data.description, final: true)
        }
        let pool = try MemberStore(path: store).pool
        let counts = try MemberStore(path: store).counts()
        print("store: \(counts)")
        let files = try RuleCatalog(directory: URL(fileURLWithPath: rules), pluginsDirectory: URL(fileURLWithPath: plugins)).scan()
        let registry = TagRegistry(pool: pool)
        if try Users(pool: pool).all().isEmpty { try Users(pool: pool).add(name: "bench", role: .admin, actor: "bench") }
        try registry.sync(files)
        for name in try DemoCommand.approvalOrder(files) {
            _ = try? registry.approve(name: name, actor: "bench", files: files)
        }
        // Start from empty live values so every run writes the same amount.
        try pool.write { db in try db.execute(sql: "DELETE FROM member_tags; DELETE FROM tag_history; DELETE FROM outbox") }
        try TagRunner(pool: pool).forgetSnapshots()
        // The shipped tags (segments add reach hooks and outbox writes: --segments).
        let live = try registry.liveVersions().filter { segments || $0.tag.kind == "tag" }
        PeakMemory.reset()
        let started = Date()
        let featuresDone = DateBox()
        let reports = try TagRunner(pool: pool, pluginsDirectory: URL(fileURLWithPath: plugins))
            .run(live, asOf: asOf, trigger: "bench", progress: { p in
                if p.tag == "*", p.phase == "evaluate" { featuresDone.set(Date()) }
                RunCommand.showProgress(p)
            })
        let tagdSeconds = Date().timeIntervalSince(started)
        let firstRunPeak = PeakMemory.sinceReset
        Console.progress("", final: false)
        var table = TextTable("RULE", "EVALUATE S", "WRITE S", "MEMBERS/S", "COVERAGE")
        for r in reports {
            let evaluate = r.evaluateSeconds ?? r.seconds
            table.add(
                r.tag, String(format: "%.2f", evaluate), String(format: "%.2f", r.writeSeconds ?? 0),
                Console.count(Int(Double(r.members) / max(evaluate, 1e-9))), Console.percent(r.coverage))
        }
        print(table.rendered)
        let features = (featuresDone.get() ?? started).timeIntervalSince(started)
        print(String(format: "features of all rules (one pass per table, tables in parallel): %.2f s", features))
        let sqlSeconds = try HandWrittenSQL.time(pool: pool, asOf: Int64(asOf.timeIntervalSince1970))
        let writeSeconds = try HandWrittenSQL.timeWrites(pool: pool)
        let runner = TagRunner(pool: pool, pluginsDirectory: URL(fileURLWithPath: plugins))
        // A full refresh (every member re-computed and re-evaluated), then the
        // scheduler's usual case: incremental refreshes at the same as-of.
        PeakMemory.reset()
        let (fullSeconds, fullRuns) = try Self.timed { try runner.run(live, asOf: asOf, trigger: "bench", full: true, refit: true) }
        let fullPeak = PeakMemory.sinceReset
        PeakMemory.reset()
        let (nothingSeconds, nothingRuns) = try Self.timed { try runner.run(live, asOf: asOf, trigger: "bench") }
        print(String(format: "tagd run, all shipped tags, first run (every value written): %.2f s", tagdSeconds))
        print(String(format: "hand-written SQL, same features, one query: %.2f s", sqlSeconds))
        print(String(format: "hand-written SQL writing the same rows (values and history, one transaction per tag): %.2f s", writeSeconds))
        print(String(format: "ratio tagd / SQL: first run %.2fx the SQL doing the same work (features + writes, %.2f s), full refresh %.2fx the features query",
                     tagdSeconds / (sqlSeconds + writeSeconds), sqlSeconds + writeSeconds, fullSeconds / sqlSeconds))
        print(String(format: "tagd run --full --refit, same data (%d changes): %.2f s", Self.changes(fullRuns), fullSeconds))
        print(String(format: "incremental refresh, nothing changed (%@ evaluations): %.3f s, %.1fx faster than --full",
                     Console.count(Self.evaluated(nothingRuns)), nothingSeconds, fullSeconds / nothingSeconds))
        for share in [0.01, 0.0001] {
            let changed = max(1, Int(Double(counts.members) * share))
            try Self.addOrders(pool: pool, members: changed, asOf: asOf)
            let (seconds, runs) = try Self.timed { try runner.run(live, asOf: asOf, trigger: "bench") }
            print(String(format: "incremental refresh after new orders for %@ members (%.2f %%; %@ evaluations): %.3f s, %.1fx faster than --full",
                         Console.count(changed), share * 100, Console.count(Self.evaluated(runs)), seconds, fullSeconds / seconds))
            Self.printCostliest(runs)
        }
        // What an analyst's DuckDB script computes (Benchmarks/duckdb_rfm.py): rfm_class and rfm_score alone.
        let rfm = live.filter { ["rfm_class", "rfm_score"].contains($0.tag.name) }
        if rfm.count == 2 {
            let changed = max(1, counts.members / 100)
            try Self.addOrders(pool: pool, members: changed, asOf: asOf)
            let (seconds, runs) = try Self.timed { try runner.run(rfm, asOf: asOf, trigger: "bench") }
            print(String(format: "rfm_class and rfm_score alone, incremental refresh after new orders for %@ members (%@ evaluations): %.3f s "
                         + "(Benchmarks/duckdb_rfm.py prints the ratio to DuckDB)",
                         Console.count(changed), Console.count(Self.evaluated(runs)), seconds))
        }
        let incrementalPeak = PeakMemory.sinceReset
        try Self.expiry(pool: pool, plugins: plugins, asOf: asOf)
        print("peak memory (resident): first run \(firstRunPeak) MB, --full \(fullPeak) MB, incremental refreshes \(incrementalPeak) MB; "
              + "whole bench \(PeakMemory.megabytes) MB")
    }
}

extension BenchCommand {
    static func timed<T>(_ body: () throws -> T) throws -> (Double, T) {
        let started = Date()
        let value = try body()
        return (Date().timeIntervalSince(started), value)
    }

    /// The rules that took longest in a refresh, with what they evaluated and why.
    static func printCostliest(_ reports: [RunReport]) {
        for report in reports.sorted(by: { $0.seconds > $1.seconds }).prefix(5) {
            let why = (report.reasons ?? [:]).sorted { $0.value > $1.value }.map { "\($0.key) \(Console.count($0.value))" }
            print(String(format: "  %@: %.3f s, %@ evaluated (%@)", report.tag, report.seconds,
                         Console.count(report.evaluated ?? report.members), why.joined(separator: ", ")))
        }
    }

    static func changes(_ reports: [RunReport]) -> Int { reports.reduce(0) { $0 + $1.gained + $1.lost + $1.changed } }
    static func evaluated(_ reports: [RunReport]) -> Int { reports.reduce(0) { $0 + ($1.evaluated ?? $1.members) } }

    /// Realtime expiry with no new data: the realtime tags loaded at the
    /// as-of, then scheduler ticks every 5 s for an hour of simulated time;
    /// the lag from each window lapse to the value changing, and the cost of
    /// a tick.
    static func expiry(pool: DatabasePool, plugins: String, asOf: Date) throws {
        let engine = RealtimeEngine(pool: pool, pluginsDirectory: URL(fileURLWithPath: plugins))
        _ = try engine.reloadIfNeeded(at: asOf)
        guard !engine.tags.isEmpty else { return }
        var lags: [Double] = []
        var ticks: [Double] = []
        var members = 0
        for tick in 1...720 {
            let (seconds, outcome) = try timed { try engine.expire(at: asOf.addingTimeInterval(Double(tick) * 5)) }
            ticks.append(seconds)
            lags += outcome.lags ?? []
            members += outcome.members
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        print(String(format: "realtime expiry (%@), 5 s ticks for an hour, no new data: %@ members re-evaluated, %@ values changed; "
                     + "lag p50 %.1f s, p99 %.1f s; tick p50 %.1f ms, p99 %.1f ms",
                     engine.tags.joined(separator: ", "), Console.count(members), Console.count(lags.count),
                     percentile(lags, 0.5), percentile(lags, 0.99), percentile(ticks, 0.5) * 1000, percentile(ticks, 0.99) * 1000))
    }

    /// One new paid order an hour before the as-of for each of `members` members spread over the store.
    static func addOrders(pool: DatabasePool, members: Int, asOf: Date) throws {
        let total = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM members") ?? 0 }
        let step = max(1, total / members)
        let ts = Int64(asOf.timeIntervalSince1970) - 3_600
        try pool.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT INTO orders(member_id, ts, amount, category, paid) SELECT id, ?, 42, 'pet', 1 FROM members WHERE id = ?")
            for index in 0..<members { try statement.execute(arguments: [ts, Int64(1 + index * step)]) }
        }
    }
}

/// A date set from another thread.
final class DateBox: @unchecked Sendable {
    private var value: Date?
    private let lock = NSLock()
    func set(_ date: Date) { lock.withLock { value = date } }
    func get() -> Date? { lock.withLock { value } }
}

/// The peak resident set size of this process, overall or since the last ``reset()``.
enum PeakMemory {
    /// Since the process started (`getrusage`).
    static var megabytes: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }

    /// Starts a new peak (Linux: `VmHWM` is reset by writing 5 to
    /// `/proc/self/clear_refs`), from what the process holds once the
    /// memory earlier phases freed is given back.
    static func reset() {
        ProcessMemory.returnFreed()
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// The peak since the last ``reset()`` (`VmHWM`), or the overall peak where the system does not tell.
    static var sinceReset: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        else { return megabytes }
        return kilobytes / 1024
    }
}
