import ArgumentParser
import Foundation
import TagEngine

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Show a tag: definition, state, coverage, value counts, recent runs.")

    @Argument(help: "The tag name.") var name: String
    @Flag(help: "Also print the live script.") var source = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        _ = try options.syncedFiles(store, quiet: true)
        let detail = try TagRegistry(pool: store.pool).detail(name: name)
        TagReads.record([name], via: "cli", pool: store.pool)
        if json { return try Console.json(detail) }
        let o = detail.overview
        print("\(o.name): \(o.title ?? "")")
        print("  category \(o.category ?? "-"), kind \(detail.kind ?? "-"), owner \(detail.owner ?? "-"), refresh \(o.refresh ?? "-")")
        print("  state \(o.state)\(o.orphaned ? " (orphaned: its file is gone)" : ""), file \(o.file ?? "-")")
        print("  live version \(o.liveVersion ?? "none")" + (detail.approvedBy.map { ", approved by \($0) at \(Console.date(detail.approvedAt))" } ?? ""))
        if let pending = o.pendingVersion { print("  pending proposal \(pending) (tagd plan \(name); tagd approve \(name) --as USER)") }
        let share = detail.members > 0 ? Double(detail.holders) / Double(detail.members) : 0
        print("  coverage \(Console.count(detail.holders)) of \(Console.count(detail.members)) members (\(Console.percent(share)))")
        var values = TextTable("VALUE", "MEMBERS")
        for v in detail.values.prefix(25) { values.add(v.value, Console.count(v.count)) }
        if !detail.values.isEmpty { print(values.rendered) }
        var runs = TextTable("RUN", "STATUS", "TRIGGER", "KIND", "AS OF", "TIME", "EVALUATED", "COVERED", "+", "-", "~")
        for r in detail.runs {
            runs.add(
                String(r.id), r.status, r.trigger, r.kind ?? "-", Console.date(r.asOf),
                r.seconds.map { String(format: "%.2f s", $0) } ?? "-", r.evaluated.map(Console.count) ?? "-",
                Console.count(r.covered), Console.count(r.gained), Console.count(r.lost), Console.count(r.changed))
        }
        print(detail.runs.isEmpty ? "no runs yet" : runs.rendered)
        for r in detail.runs where r.error != nil { print("run \(r.id) error: \(r.error ?? "")") }
        if source, let script = detail.source { print(script) }
    }
}
