import ArgumentParser
import Foundation
import TagEngine

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "List active tags that look useless, with the reasons: candidates for retirement.")

    @Option(help: "Recent runs that decide empty, universal and failing (default: setting review_runs).") var runs: Int?
    @Option(help: "Days without a read (default: setting review_unread_days).") var unreadDays: Int?
    @Option(help: "The time to judge at (default now).") var at: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        _ = try options.syncedFiles(store, quiet: true)
        let review = CullingReview(pool: store.pool)
        var settings = try review.defaultOptions(now: try AsOf.parse(at))
        if let runs { settings.runs = runs }
        if let unreadDays { settings.unreadDays = unreadDays }
        let candidates = try review.candidates(settings)
        if json { return try Console.json(candidates) }
        guard !candidates.isEmpty else { return print("no candidates: every active tag is covered, fresh and read") }
        var table = TextTable("TAG", "REASONS", "DEPENDANTS")
        for c in candidates { table.add(c.name, c.reasons.joined(separator: "; "), c.dependants.joined(separator: ", ")) }
        print(table.rendered)
        print("\(candidates.count) candidates; retire with: tagd retire NAME --as ADMIN --reason ...")
    }
}
