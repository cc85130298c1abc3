import ArgumentParser
import TagEngine

struct DueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due", abstract: "List active tags that are due (a refresh slot passed since their last run).")

    @Option(help: "The time to judge at (default now).") var at: String?
    @Flag(help: "Also list tags that are not due.") var all = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let tags = try TagRegistry(pool: try options.open().pool).dueTags(at: try AsOf.parse(at)).filter { all || $0.isDue }
        if json { return try Console.json(tags) }
        var table = TextTable("TAG", "REFRESH", "DUE", "SINCE", "MISSED", "LAST RUN", "NEXT")
        for t in tags {
            let due = t.problem.map { "error: \($0)" } ?? (t.isRealtime ? "realtime" : t.isDue ? (t.isStale ? "stale" : "due") : "no")
            table.add(
                t.name, t.refresh, due, Console.date(t.dueSince), String(t.missedSlots), Console.date(t.lastRun), Console.date(t.next))
        }
        print(tags.isEmpty ? "nothing is due" : table.rendered)
    }
}
