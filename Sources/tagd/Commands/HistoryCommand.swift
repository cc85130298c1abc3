import ArgumentParser
import TagEngine

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A tag's versions and every transition with actor, time and reason.")
    @Argument var name: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let history = try TagRegistry(pool: try options.open().pool).history(name: name)
        if json { return try Console.json(history) }
        print("\(name): \(history.state)")
        var versions = TextTable("VERSION", "STATE", "PROPOSED", "BY", "DECIDED", "BY", "REASON")
        for v in history.versions {
            versions.add(
                v.shortHash, v.state.rawValue, Console.date(v.proposedAt), v.proposedBy ?? "-", Console.date(v.decidedAt),
                v.decidedBy ?? "-", v.reason ?? "")
        }
        print(versions.rendered)
        print("")
        print(AuditCommand.table(history.transitions))
    }
}
