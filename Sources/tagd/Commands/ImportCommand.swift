import ArgumentParser
import Foundation
import MemberStore
import TagEngine

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import members, orders or events from CSV (with a header) or NDJSON.",
        discussion: """
            Columns are the field names (member, ts, amount, ...); `member` is the member's external id.
            A malformed row stops the import and nothing of the file is stored, unless --skip-bad.
            """)

    @Argument(help: "members, orders or events") var kind: String
    @Argument(help: "The CSV or NDJSON file.") var file: String
    @Flag(help: "Store the good rows and report each bad one.") var skipBad = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        guard let recordKind = RecordKind(rawValue: kind) else {
            throw CLIError("unknown kind '\(kind)': expected members, orders or events")
        }
        let store = try options.open(create: true)
        var importOptions = ImportOptions(skipBad: skipBad)
        importOptions.identityPolicy = try IdentityRules.live(in: store.pool)
        let summary = try store.importFile(file, kind: recordKind, options: importOptions) { p in
            let rate = Console.count(Int(p.rowsPerSecond))
            Console.progress(
                "importing \(kind): \(Console.count(p.rowsRead)) rows, \(Console.percent(p.fraction)) of the file, \(rate) rows/s",
                final: false)
        }
        Console.progress("", final: false)
        for bad in summary.badRows { Console.note("skipped: \(bad)") }
        for conflict in summary.conflicts { Console.note("identity conflict: \(conflict)") }
        print(summary.description)
    }
}
