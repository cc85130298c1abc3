import Foundation
import GRDB
import MemberStore
import TagEngine

/// `tagd bench rfm`: the refresh that `Benchmarks/duckdb_rfm.py` is compared
/// with, repeated on a store a whole `tagd bench` run left behind: new orders
/// for 1 % of the members, then `rfm_class` and `rfm_score` alone, in one
/// process (as the server's scheduler runs them), each round timed.
struct RefreshBench {
    let store: String
    let plugins: URL
    let rounds: Int
    /// The as-of of `tagd bench` (its data is generated relative to it).
    let asOf: Date

    func run() throws {
        let pool = try MemberStore(path: store).pool
        let registry = TagRegistry(pool: pool)
        let pair = try registry.liveVersions().filter { ["rfm_class", "rfm_score"].contains($0.tag.name) }
        guard pair.count == 2 else {
            throw CLIError("\(store) has no live rfm_class and rfm_score: run `tagd bench --store \(store)` first")
        }
        let members = try MemberStore(path: store).counts().members
        let changed = max(1, members / 100)
        let runner = TagRunner(pool: pool, pluginsDirectory: plugins)
        var times: [Double] = []
        var cpu: [Double] = []
        for round in 1...max(1, rounds) {
            try BenchCommand.addOrders(pool: pool, members: changed, asOf: asOf)
            let cpuBefore = LoadReport.cpuSeconds()
            let (seconds, runs) = try BenchCommand.timed { try runner.run(pair, asOf: asOf, trigger: "bench") }
            times.append(seconds)
            cpu.append(LoadReport.cpuSeconds() - cpuBefore)
            print(String(format: "round %d: rfm_class and rfm_score after new orders for %@ members: %.3f s (CPU %.3f s, load %@), %@ evaluations",
                         round, Console.count(changed), seconds, cpu[cpu.count - 1], LoadReport.format(LoadReport.loadAverage()),
                         Console.count(BenchCommand.evaluated(runs))))
            BenchCommand.printCostliest(runs)
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print(String(format: "median of %d rounds: %.3f s, CPU %.3f s (Benchmarks/duckdb_rfm.py %@ 2026-01-01 SECONDS prints the ratio to DuckDB)",
                     times.count, median(times), median(cpu), store))
    }
}
