import ArgumentParser
import Foundation
import TagEngine

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List every rule: state, live and pending version, last run.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        let files = try options.syncedFiles(store, quiet: true)
        let tags = try TagRegistry(pool: store.pool).overview()
        let errors = files.compactMap { file -> RuleError? in
            if case .failure(let error) = file.outcome { return error }
            return nil
        }
        if json {
            struct Listing: Encodable { var tags: [TagOverview]; var errors: [String] }
            return try Console.json(Listing(tags: tags, errors: errors.map(\.description)))
        }
        var table = TextTable("TAG", "STATE", "LIVE", "PENDING", "LAST RUN", "COVERAGE", "FILE")
        for tag in tags {
            let run = tag.lastRun
            let coverage = run.map { $0.members > 0 ? Console.percent(Double($0.covered) / Double($0.members)) : "-" } ?? "-"
            table.add(
                tag.name, tag.state + (tag.orphaned ? " (orphaned)" : ""), tag.liveVersion ?? "-", tag.pendingVersion ?? "-",
                run.map { "\($0.status) \(Console.date(Int64($0.startedAt)))" } ?? "never", coverage, tag.file ?? "-")
        }
        print(table.rendered)
        for error in errors { print("error: \(error)") }
    }
}
