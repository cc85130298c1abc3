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
        let choice = try RuleSourceChoice(name: name, version: version, store: store, files: files)
        let (source, file, modules) = (choice.source, choice.file, choice.modules)
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
