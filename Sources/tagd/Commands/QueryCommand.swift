import ArgumentParser
import Foundation
import MemberStore
import TagEngine

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Find members by live tags and attributes.",
        discussion: """
            Conditions combine with and / or / not (also && || !) and parentheses:
              name == value   (also != < <= > >=)   name in ("a", "b")   name not in (...)
            Names: region channel gender level birthday registered_at external_id, attr.<key>
            (JSON attributes), or an active tag or segment (its live value; a bare flag or
            segment means "has it"; has(name) means "has any value"). Values: "text" or 'text',
            integers, decimals, true, false. A number compares a tag's value numerically.
            Aggregates over the member's orders and events compare with a number:
              count(orders, 30d) >= 2   sum(orders.amount, 90d) > 500   days_since(orders) <= 30
              avg / min / max(orders.<column>), custom columns too: sum(orders.quantity)
              row conditions: count(events, 7d, type in ("cart", "favourite")) > 0
            Example: tagd query 'rfm_class == "important_value" and region == "south"'
            """)

    @Argument(help: "The query.") var query: String
    @Option(help: "How many members to list.") var limit = 20
    @Option(help: "List members after this cursor (the nextCursor of --json output).") var cursor: String?
    @Option(help: "Reference time of aggregates (default now); windows end at it.") var asOf: String?
    @Flag(help: "Print only the number of matching members.") var count = false
    @Flag(help: "Print JSON: {count, items: [{member, values}], nextCursor}.") var json = false
    @OptionGroup var options: StoreOptions

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    }

    func run() throws {
        let store = try options.open()
        let result: QueryRun
        do {
            result = try MemberQuery.run(query, in: store.pool, limit: count ? 0 : limit, cursor: cursor, asOf: try AsOf.parse(asOf))
        } catch let error as QueryError {
            throw CLIError(error.description)
        } catch let error as QueryCursorError {
            throw CLIError(error.description)
        }
        TagReads.record(result.tags, via: "cli", pool: store.pool)
        let page = result.page
        if json { return try Console.json(page) }
        if count { return print(page.count) }
        print("\(Console.count(page.count)) member\(page.count == 1 ? "" : "s") match")
        guard !page.items.isEmpty else { return }
        let names = result.columns
        var table = TextTable("MEMBER")
        table.headers += names
        for item in page.items { table.rows.append([item.member] + names.map { Self.display(item.values[$0] ?? .null) }) }
        print(table.rendered)
        if let next = page.nextCursor {
            print("... more: --cursor \(next) for the next page, or a larger --limit")
        }
    }

    static func display(_ value: JSONValue) -> String {
        switch value {
        case .null: "-"
        case .string(let s): s
        default: value.jsonString
        }
    }
}
