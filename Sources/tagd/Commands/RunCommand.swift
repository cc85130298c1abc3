import ArgumentParser
import Foundation
import TagEngine

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the approved versions of active tags (all, or the named ones) and write what changed.")

    @Argument(help: "Tag names (default: every active tag).") var names: [String] = []
    @Option(help: "Reference time (default now); every window is relative to it.") var asOf: String?
    @Flag(help: "Run exactly the tags that are due (tagd due), at --as-of or now.") var due = false
    @Flag(help: "Evaluate every member, ignoring the tags' snapshots (a new version always runs in full).") var full = false
    @Flag(help: "Fit the model features (p_alive, p_purchase, expected_purchases) again, even inside their refit cycle.")
    var refit = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        _ = try options.syncedFiles(store)
        let registry = TagRegistry(pool: store.pool)
        let at = try AsOf.parse(asOf)
        var selected: [String]? = names.isEmpty ? nil : names
        if due {
            guard names.isEmpty else { throw CLIError("--due runs what is due; do not also name tags") }
            selected = try registry.dueTags(at: at).filter(\.isDue).map(\.name)
            if selected?.isEmpty == true { return print("nothing is due") }
        }
        let live = try registry.liveVersions(names: selected)
        if live.isEmpty { throw CLIError("no active tags to run: approve a rule first (tagd approve NAME --as USER)") }
        let reports = try TagRunner(pool: store.pool, pluginsDirectory: options.pluginsURL)
            .run(live, asOf: at, trigger: due ? "due" : "cli", full: full, refit: refit, progress: RunCommand.showProgress)
        if json { return try Console.json(reports) }
        print(RunCommand.table(reports))
        if reports.contains(where: { $0.status != "succeeded" }) { throw ExitCode(1) }
    }

    static let showProgress: @Sendable (TagRunner.Progress) -> Void = { p in
        switch p.phase {
        case "features": Console.progress("computing features for \(p.total) rules...")
        case "done": Console.progress("\(p.tag): done", final: false)
        default: Console.progress("\(p.tag): \(Console.count(p.done)) / \(Console.count(p.total)) members")
        }
    }

    static func table(_ reports: [RunReport]) -> String {
        Console.progress("", final: false)
        var table = TextTable("TAG", "STATUS", "KIND", "EVALUATED", "COVERAGE", "GAINED", "LOST", "CHANGED", "TIME", "TOP VALUES")
        for r in reports {
            let top = r.error ?? r.topValues.prefix(3).map { "\($0.value) \(Console.count($0.count))" }.joined(separator: ", ")
            table.add(
                r.tag, r.status, r.kind ?? "-", r.evaluated.map(Console.count) ?? "-", Console.percent(r.coverage),
                Console.count(r.gained), Console.count(r.lost), Console.count(r.changed), String(format: "%.2f s", r.seconds), top)
        }
        // Why members were evaluated, summed over the rules.
        var why: [String: Int] = [:]
        for r in reports { for (reason, n) in r.reasons ?? [:] { why[reason, default: 0] += n } }
        let reasons = why.sorted { $0.key < $1.key }.map { "\($0.key) \(Console.count($0.value))" }.joined(separator: ", ")
        let failed = reports.filter { $0.status != "succeeded" }.count
        let seconds = reports.reduce(0) { $0 + $1.seconds }
        let evaluated = reports.reduce(0) { $0 + ($1.evaluated ?? 0) }
        return table.rendered + "\n\(reports.count) rules run, \(failed) failed, \(String(format: "%.2f", seconds)) s; "
            + "\(Console.count(evaluated)) member evaluations" + (reasons.isEmpty ? "" : " (\(reasons))")
    }
}
