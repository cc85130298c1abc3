import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

/// Aggregate conditions over orders and events in ad-hoc queries, on
/// ``QueryFixture``'s members and tags plus these rows (as of 2024-07-01):
///
/// | member | orders (days before as-of, amount, extras)                                     | events |
/// |--------|--------------------------------------------------------------------------------|--------|
/// | m1     | 10 d 300 pet quantity 2; 50 d 250 books quantity 1; 200 d 1000 pet             | -      |
/// | m2     | 5 d 20 pet store sh-01; 20 d 30 pet store sh-01                                 | cart 3 d |
/// | m3     | 100 d 600                                                                       | -      |
/// | m4     | -                                                                               | favourite 2 d, browse 40 d |
/// | m5     | 1 d 10 unpaid note "n/a"; 5 d after as-of 900 (never counts)                    | -      |
@Suite("aggregate queries")
struct QueryAggregateTests {
    static let asOf: Int64 = 1_719_792_000
    static let day: Int64 = 86_400

    static func fixture() throws -> QueryFixture {
        let fixture = try QueryFixture()
        try fixture.store.pool.write { db in
            let orders: [(Int64, Int64, Double, String?, Bool, String)] = [
                (1, 10, 300, "pet", true, #"{"quantity":2}"#), (1, 50, 250, "books", true, #"{"quantity":1}"#),
                (1, 200, 1000, "pet", true, "{}"), (2, 5, 20, "pet", true, #"{"store":"sh-01"}"#),
                (2, 20, 30, "pet", true, #"{"store":"sh-01"}"#), (3, 100, 600, nil, true, "{}"),
                (5, 1, 10, nil, false, #"{"note":"n/a"}"#), (5, -5, 900, nil, true, "{}"),
            ]
            for o in orders {
                try db.execute(
                    sql: "INSERT INTO orders(member_id, ts, amount, category, paid, props) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [o.0, asOf - o.1 * day, o.2, o.3, o.4, o.5])
            }
            for e in [(2, 3, "cart"), (4, 2, "favourite"), (4, 40, "browse")] {
                try db.execute(
                    sql: "INSERT INTO events(member_id, ts, type) VALUES (?, ?, ?)", arguments: [e.0, asOf - Int64(e.1) * day, e.2])
            }
        }
        return fixture
    }

    static func run(_ fixture: QueryFixture, _ query: String) throws -> QueryRun {
        try MemberQuery.run(query, in: fixture.store.pool, limit: 100, asOf: Date(timeIntervalSince1970: TimeInterval(asOf)))
    }

    static let valid: [(String, [String])] = [
        ("sum(orders.amount, 90d) > 500", ["m1"]),
        ("sum(orders.amount) > 500", ["m1", "m3"]),
        ("count(orders, 30d) >= 2", ["m2"]),
        // members without orders have count 0 and sum 0
        ("count(orders, 30d) < 1", ["m3", "m4"]),
        ("count(orders, 30d) == 0 and has(rfm_class)", ["m3"]),
        ("sum(orders.amount, 90d) != 0", ["m1", "m2", "m5"]),
        ("sum(orders.amount, 90d) <= 50", ["m2", "m3", "m4", "m5"]),
        (#"sum(orders.amount, 90d) > 500 and count(orders, 30d) >= 1 and rfm_class == "important_value""#, ["m1"]),
        ("count(orders, 90d, paid == false) > 0", ["m5"]),
        (#"count(orders, category in ("pet", "food")) >= 2"#, ["m1", "m2"]),
        // avg, min, max of no rows are missing: never true
        ("avg(orders.amount) > 100", ["m1", "m3"]),
        ("not avg(orders.amount) > 100", ["m2", "m4", "m5"]),
        ("max(orders.amount, 365d) >= 1000", ["m1"]),
        ("min(orders.amount) < 15", ["m5"]),
        ("days_since(orders) <= 7", ["m2", "m5"]),
        ("not days_since(orders) <= 7", ["m1", "m3", "m4"]),
        (#"count(events, 7d, type in ("cart", "favourite")) > 0"#, ["m2", "m4"]),
        (#"COUNT( events , 7d , type == "cart" ) == 1 or level >= 5"#, ["m2", "m3"]),
        // custom columns
        ("sum(orders.quantity) >= 3", ["m1"]),
        ("sum(orders.props.quantity, 30d) == 2", ["m1"]),
        (#"count(orders, props.store == "sh-01") >= 1"#, ["m2"]),
    ]

    @Test(arguments: valid)
    func matches(_ query: String, _ expected: [String]) throws {
        let page = try Self.run(try Self.fixture(), query).page
        #expect(page.items.map(\.member) == expected, "\(query)")
        #expect(page.count == expected.count, "\(query)")
    }

    @Test func valuesOfTheAggregatesAreColumns() throws {
        let run = try Self.run(try Self.fixture(), #"sum(orders.amount, 90d) > 40 and count(events, 7d) >= 0 and region != "x""#)
        #expect(run.columns == ["sum(orders.amount, 90d)", "count(events, 7d)", "region"])
        #expect(run.page.items.map(\.member) == ["m1", "m2"])
        #expect(run.page.items[0].values["sum(orders.amount, 90d)"] == .number(550))
        #expect(run.page.items[1].values["count(events, 7d)"] == .number(1))
    }

    /// Aggregate queries count in the page statement: every page has the total.
    @Test func pagesCountEveryMatch() throws {
        let fixture = try Self.fixture()
        let at = Date(timeIntervalSince1970: TimeInterval(Self.asOf))
        let query = "sum(orders.amount, 90d) <= 50"
        var cursor: String?
        var seen: [String] = []
        repeat {
            let page = try MemberQuery.run(query, in: fixture.store.pool, limit: 1, cursor: cursor, asOf: at).page
            #expect(page.count == 4)
            seen += page.items.map(\.member)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == ["m2", "m3", "m4", "m5"])
        #expect(try MemberQuery.run(query, in: fixture.store.pool, limit: 5, cursor: "5", asOf: at).page.count == 4)
        #expect(try MemberQuery.run(query, in: fixture.store.pool, limit: 0, asOf: at).page.count == 4)
        #expect(try MemberQuery.run("sum(orders.amount) > 1000000000", in: fixture.store.pool, limit: 5, asOf: at).page.count == 0)
    }

    static let invalid: [(String, Int, String)] = [
        (#"sum(orders.amount, 90d) > "x""#, 27, #"sum(orders.amount, 90d) is a number: compare it with a number (found "x")"#),
        ("sum(orders.amount, 90d)", 24, "expected a comparison (==, !=, <, <=, >, >=) after sum(orders.amount, 90d)"),
        ("sum(orders.amout) > 1", 1, "did you mean 'amount'?"),
        ("sum(orders) > 1", 1, "sum: needs a numeric column"),
        ("count(shops) > 1", 1, "unknown source 'shops'"),
        ("count(orders, 90x) > 1", 15, "invalid number '90x'"),
        ("count(orders, 30d, 7d) > 1", 20, #"expected a condition such as category == "pet" in count(...)"#),
        ("count(orders, ts == 1) > 1", 1, "cannot filter orders on 'ts'"),
        (#"count(orders, category == 1) > 1"#, 1, "where.category expects a text value"),
        (#"count(orders, category == "a", category == "b") > 0"#, 32, "'category' has two conditions"),
        (#"count(orders, category = "pet") > 0"#, 24, "unknown operator '='"),
        ("count(orders > 1", 14, "expected ',' or ')' in count(...) opened at column 1"),
        ("count(orders) >", 16, "expected a value after '>'"),
        // a custom column holding text where numbers are summed names the row
        ("sum(orders.note) > 0", 1, #"sum("orders.note"): order 7 of member "m5" has note = "n/a" (text), not a number"#),
    ]

    @Test(arguments: invalid)
    func rejects(_ query: String, _ column: Int, _ message: String) throws {
        let fixture = try Self.fixture()
        let error = try #require(throws: QueryError.self) { try Self.run(fixture, query) }
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    /// Values are bound: a hostile string reaches SQLite as one value.
    @Test func literalsAreBound() throws {
        let fixture = try Self.fixture()
        let compiled = try fixture.store.pool.read { db in
            try MemberQuery(#"count(orders, category == "x' OR 1=1 --") > 0"#).compile(db)
        }
        #expect(!compiled.condition.contains("OR 1=1"))
        #expect(compiled.conditionArguments.contains("x' OR 1=1 --".databaseValue))
        #expect(try Self.run(fixture, #"count(orders, category == "x' OR 1=1 --") > 0"#).page.count == 0)
    }
}
