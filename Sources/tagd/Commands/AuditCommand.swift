import ArgumentParser
import GRDB
import TagEngine

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Print the audit log, or verify its hash chain.", subcommands: [Show.self, Verify.self],
        defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the audit log.")
        @Option(help: "Only entries about this tag.") var tag: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let entries = try options.open().pool.read { db in try AuditLog.entries(tag: tag, in: db) }
            if json { return try Console.json(entries) }
            print(AuditCommand.table(entries))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that no audit entry was edited or deleted.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let pool = try options.open().pool
            let result = try pool.read(AuditLog.verify)
            let key = AuditKey.location(forStore: options.storePath)
            if let broken = result.brokenAt {
                let why = result.foreignKey.map { " (rows signed with key \($0), not the key at \(key))" } ?? ""
                print("audit log TAMPERED: the chain breaks at entry \(broken) (edited, inserted or deleted rows)\(why)")
                throw ExitCode(2)
            }
            print("audit log intact: \(result.entries) entries, HMAC chain verified with the key at \(key)")
            if result.unkeyed > 0 {
                print("note: the first \(result.unkeyed) entries predate the keyed chain (plain SHA-256, not protected against rewriting)")
            }
        }
    }

    static func table(_ entries: [AuditEntry]) -> String {
        var table = TextTable("ID", "AT", "ACTOR", "ACTION", "TAG", "VERSION", "REASON / DETAIL")
        for e in entries {
            let note = [e.reason, e.detail].compactMap { $0 }.joined(separator: " — ")
            table.add(String(e.id), Console.date(e.at), e.actor, e.action, e.tag ?? "-", e.versionHash.map { String($0.prefix(12)) } ?? "-", note)
        }
        return table.rendered
    }
}
