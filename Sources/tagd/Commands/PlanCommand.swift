import ArgumentParser
import Foundation
import TagEngine

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Evaluate a rule version without writing: coverage, values, and who would gain, lose or change.")

    @Argument(help: "The tag name.") var name: String
    @Option(help: "Evaluate this stored version (hash prefix) instead of the file's current content.") var version: String?
    @Option(help: "Reference time (default now).") var asOf: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        let files = try options.syncedFiles(store, quiet: true)
        let source: String
        let file: String
        var modules: [String: String] = [:]
        if let version {
            guard let stored = try store.pool.read({ db in
                try TagVersionRecord.fetchOne(db, sql: """
                    SELECT v.* FROM tag_versions v JOIN tags t ON t.id = v.tag_id WHERE t.name = ? AND v.hash LIKE ? || '%'
                    """, arguments: [name, version])
            }) else { throw CLIError("no version \(version) of \(name)") }
            (source, file, modules) = (stored.source, stored.file, stored.moduleSources)
        } else {
            guard let current = files.first(where: { $0.name == name }) else {
                throw CLIError("no rule file declares \"\(name)\" (or it does not load: tagd check)")
            }
            (source, file, modules) = (current.source, current.path, current.modules)
        }
        let plan = try TagRunner(pool: store.pool, pluginsDirectory: options.pluginsURL)
            .plan(source: source, file: file, tagName: name, asOf: try AsOf.parse(asOf), modules: modules)
        if json { return try Console.json(plan) }
        print("plan for \(name) version \(plan.hash.prefix(12)) (\(file)) as of \(Console.date(plan.asOf)), nothing written")
        print("coverage: \(Console.count(plan.covered)) of \(Console.count(plan.members)) members (\(Console.percent(plan.coverage)))")
        print("against live values: +\(Console.count(plan.gained)) gain, -\(Console.count(plan.lost)) lose, ~\(Console.count(plan.changed)) change")
        for (change, ids) in plan.samples.sorted(by: { $0.key < $1.key }) { print("  \(change): \(ids.joined(separator: ", "))") }
        var table = TextTable("VALUE", "MEMBERS", "SHARE")
        for value in plan.distribution.prefix(20) {
            table.add(value.value, Console.count(value.count), Console.percent(Double(value.count) / Double(max(plan.members, 1))))
        }
        print(table.rendered)
        if plan.distribution.count > 20 { print("(\(plan.distribution.count - 20) more values)") }
    }
}
