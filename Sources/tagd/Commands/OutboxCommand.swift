import ArgumentParser
import Foundation
import GRDB
import ReachHTTP
import TagEngine

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Reach messages: pending, delivered and dead; retry dead ones; deliver now.",
        subcommands: [Show.self, Retry.self, Deliver.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List outbox entries.")
        @Option(help: "pending, delivered or dead") var status: String?
        @Option(help: "How many, newest first.") var limit = 50
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let pool = try options.open().pool
            let (entries, counts) = try pool.read { db in
                (try OutboxStore.entries(status: status, limit: limit, in: db), try OutboxStore.counts(in: db))
            }
            if json { return try Console.json(entries) }
            print(["pending", "delivered", "dead"].map { "\($0): \(Console.count(counts[$0] ?? 0))" }.joined(separator: "  "))
            var table = TextTable("ID", "STATUS", "SEGMENT", "MEMBER", "EVENT", "PLUGIN", "TO", "TRIES", "LAST ERROR")
            for e in entries {
                table.add(
                    String(e.id), e.status, e.segment, e.member ?? "-", e.transition, e.plugin, e.kind == "hook" ? "(hook retry)" : e.channel ?? "-",
                    String(e.attempts), e.lastError ?? "")
            }
            if !entries.isEmpty { print(table.rendered) }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make dead entries pending again (all, or one by id).")
        @Argument(help: "An entry id (default: every dead entry).") var id: Int64?
        @OptionGroup var options: StoreOptions

        func run() throws {
            let count = try options.open().pool.write { db in try OutboxStore.retry(id: id, in: db) }
            print("\(count) dead entries are pending again")
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver what is due now, once (the server does this continuously).")
        @Option(help: "Where file messages go.") var exports = "exports"
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let delivery = OutboxDelivery(
                pool: try options.open().pool, transport: HTTPWebhookTransport(), exportsDirectory: URL(fileURLWithPath: exports),
                pluginsDirectory: options.pluginsURL)
            var total = OutboxDelivery.Report()
            while true {
                let pass = try await delivery.deliverDue(limit: 1_000)
                total.delivered += pass.delivered
                total.failed += pass.failed
                total.dead += pass.dead
                Console.progress("delivering: \(Console.count(total.delivered)) delivered, \(Console.count(total.failed)) failed")
                if pass.delivered + pass.failed + pass.dead == 0 || pass.delivered == 0 { break }
            }
            Console.progress("", final: false)
            print("delivered \(total.delivered), failed \(total.failed) (will retry), dead \(total.dead)")
        }
    }
}
