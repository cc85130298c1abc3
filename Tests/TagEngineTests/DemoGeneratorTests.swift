import Foundation
import GRDB
import Testing
import TagDemo
import TagEngine

/// Tests of `DemoGenerator` against temporary stores created from the
/// store's table definitions.
@Suite struct DemoGeneratorTests {
    /// 2025-06-15 12:00:00 UTC.
    static let asOf = Date(timeIntervalSince1970: 1_749_988_800)
    static let asOfSeconds: Int64 = 1_749_988_800
    static let day: Int64 = 86_400

    static let schema = """
        CREATE TABLE members(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE, channel TEXT, registered_at INTEGER, gender TEXT, region TEXT, birthday TEXT, level INTEGER, attrs TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE identities(channel TEXT NOT NULL, external_id TEXT NOT NULL, member_id INTEGER NOT NULL, PRIMARY KEY(channel, external_id)) WITHOUT ROWID;
        CREATE TABLE orders(id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL, ts INTEGER NOT NULL, amount REAL NOT NULL DEFAULT 0, channel TEXT, category TEXT, product TEXT, is_new_product INTEGER NOT NULL DEFAULT 0, coupon TEXT, paid INTEGER NOT NULL DEFAULT 1, order_key TEXT UNIQUE);
        CREATE INDEX orders_member_ts ON orders(member_id, ts);
        CREATE TABLE events(id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, category TEXT, keyword TEXT, props TEXT NOT NULL DEFAULT '{}', event_key TEXT UNIQUE);
        CREATE INDEX events_member_ts ON events(member_id, ts);
        """

    /// A fresh store in a temporary directory, removed by `remove()`.
    final class TempStore: Sendable {
        let directory: URL
        let pool: DatabasePool

        init() throws {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("tagd-demo-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: directory.appendingPathComponent("store.sqlite").path)
            try pool.write { try $0.execute(sql: DemoGeneratorTests.schema) }
        }

        deinit {
            try? pool.close()
            try? FileManager.default.removeItem(at: directory)
        }

        func int(_ sql: String) throws -> Int {
            try pool.read { try Int.fetchOne($0, sql: sql) ?? 0 }
        }
    }

    static func generate(
        members: Int, seed: UInt64 = 42, orders: Double = 3, events: Double = 10
    ) throws -> (TempStore, DemoSummary) {
        let store = try TempStore()
        let options = DemoGenerator.Options(
            members: members, eventsPerMember: events, ordersPerMember: orders, seed: seed, asOf: asOf)
        let summary = try DemoGenerator(options: options).generate(into: store.pool) { _ in }
        return (store, summary)
    }

    /// One shared 5,000-member store for the read-only checks.
    static let shared: Result<(TempStore, DemoSummary), any Error> = Result { try generate(members: 5_000) }

    static func sharedStore() throws -> (TempStore, DemoSummary) {
        try shared.get()
    }

    // MARK: Determinism

    @Test func sameSeedGivesIdenticalData() throws {
        let (a, summaryA) = try Self.generate(members: 1_500)
        let (b, summaryB) = try Self.generate(members: 1_500)
        #expect(summaryA.orders == summaryB.orders)
        #expect(summaryA.events == summaryB.events)

        let totals = "SELECT count(*), sum(amount), sum(ts), group_concat(product, '') FROM orders"
        let totalsA = try a.pool.read { try Row.fetchOne($0, sql: totals) }
        let totalsB = try b.pool.read { try Row.fetchOne($0, sql: totals) }
        #expect(totalsA == totalsB)

        for sql in [
            "SELECT * FROM events ORDER BY id LIMIT 100",
            "SELECT * FROM members ORDER BY id LIMIT 100",
            "SELECT * FROM identities ORDER BY member_id, channel LIMIT 100",
            "SELECT * FROM orders ORDER BY id DESC LIMIT 100",
        ] {
            let rowsA = try a.pool.read { try Row.fetchAll($0, sql: sql) }
            let rowsB = try b.pool.read { try Row.fetchAll($0, sql: sql) }
            #expect(rowsA.count == 100, "\(sql)")
            #expect(rowsA == rowsB, "\(sql)")
        }
        let lastEvents = "SELECT count(*), sum(ts), group_concat(type || coalesce(category, '') || coalesce(keyword, '') || props, '') FROM events"
        #expect(try a.pool.read { try Row.fetchOne($0, sql: lastEvents) } == b.pool.read { try Row.fetchOne($0, sql: lastEvents) })
    }

    @Test func otherSeedGivesOtherData() throws {
        let (a, _) = try Self.generate(members: 500, seed: 1)
        let (b, _) = try Self.generate(members: 500, seed: 2)
        let sql = "SELECT count(*), sum(amount) FROM orders"
        #expect(try a.pool.read { try Row.fetchOne($0, sql: sql) } != b.pool.read { try Row.fetchOne($0, sql: sql) })
    }

    @Test func memberDataDoesNotDependOnMemberCount() throws {
        let (small, _) = try Self.generate(members: 300)
        let (big, _) = try Self.shared.get()
        let sql = "SELECT * FROM events WHERE member_id <= 300 ORDER BY id"
        #expect(try small.pool.read { try Row.fetchAll($0, sql: sql) } == big.pool.read { try Row.fetchAll($0, sql: sql) })
    }

    // MARK: Volumes and shapes

    @Test func countsAreNearTheRequestedAverages() throws {
        let (store, summary) = try Self.sharedStore()
        #expect(summary.members == 5_000)
        #expect(try store.int("SELECT count(*) FROM members") == 5_000)
        #expect(try store.int("SELECT count(*) FROM orders") == summary.orders)
        #expect(try store.int("SELECT count(*) FROM events") == summary.events)
        #expect(try store.int("SELECT count(*) FROM identities") == summary.identities)
        let ordersPerMember = Double(summary.orders) / 5_000
        let eventsPerMember = Double(summary.events) / 5_000
        #expect(abs(ordersPerMember - 3) < 0.3, "orders per member \(ordersPerMember)")
        #expect(abs(eventsPerMember - 10) < 1, "events per member \(eventsPerMember)")

        let (other, otherSummary) = try Self.generate(members: 2_000, orders: 6, events: 30)
        #expect(abs(Double(otherSummary.orders) / 2_000 - 6) < 0.6)
        #expect(abs(Double(otherSummary.events) / 2_000 - 30) < 3)
        #expect(try other.int("SELECT count(*) FROM events") == otherSummary.events)
    }

    @Test func noOrdersOrEventsWhenAveragesAreZero() throws {
        let (store, summary) = try Self.generate(members: 200, orders: 0, events: 0)
        #expect(summary.orders == 0 && summary.events == 0)
        #expect(try store.int("SELECT count(*) FROM members") == 200)
        #expect(try store.int("SELECT count(*) FROM orders") + store.int("SELECT count(*) FROM events") == 0)
    }

    @Test func membersAreNumberedWithPlausibleProfiles() throws {
        let (store, _) = try Self.sharedStore()
        #expect(try store.int("SELECT min(id) FROM members") == 1)
        #expect(try store.int("SELECT max(id) FROM members") == 5_000)
        #expect(try store.pool.read { try String.fetchOne($0, sql: "SELECT external_id FROM members WHERE id = 42") } == "M0000042")
        #expect(try store.int("SELECT count(*) FROM members WHERE external_id != printf('M%07d', id)") == 0)

        let channels = try store.pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT channel FROM members ORDER BY 1") }
        #expect(channels == ["app", "jd", "store", "tmall", "web", "wechat"])
        let regions = try store.pool.read {
            try String.fetchAll($0, sql: "SELECT region FROM members GROUP BY region ORDER BY count(*) DESC")
        }
        #expect(Set(regions) == ["north", "south", "east", "west", "central"])
        #expect(Set(regions.prefix(2)) == ["south", "east"])
        #expect(Set(try store.pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT gender FROM members") }) == ["f", "m", "unknown"])
        #expect(try store.int("SELECT count(*) FROM members WHERE level NOT BETWEEN 1 AND 5") == 0)
        #expect(try store.int("SELECT count(*) FROM members WHERE level = 1") > store.int("SELECT count(*) FROM members WHERE level = 5"))

        // Birthdays: YYYY-MM-DD, ages 18 to 70 at asOf (2025-06-15).
        #expect(try store.int("SELECT count(*) FROM members WHERE date(birthday) IS NOT birthday") == 0)
        #expect(try store.int("SELECT count(*) FROM members WHERE birthday > '2007-06-15' OR birthday < '1954-06-15'") == 0)

        // Registration over the 2 years before asOf, growing: more in the
        // recent year than in the older one.
        let from = Self.asOfSeconds - 730 * Self.day
        #expect(try store.int("SELECT count(*) FROM members WHERE registered_at NOT BETWEEN \(from) AND \(Self.asOfSeconds)") == 0)
        let recentYear = try store.int("SELECT count(*) FROM members WHERE registered_at > \(Self.asOfSeconds - 365 * Self.day)")
        #expect(recentYear > 2_500)
        #expect(try store.int("SELECT count(*) FROM members WHERE created_at != registered_at OR updated_at < created_at OR updated_at > \(Self.asOfSeconds)") == 0)

        // attrs: valid JSON, `{}` for most, keys for a minority.
        #expect(try store.int("SELECT count(*) FROM members WHERE json_valid(attrs) = 0") == 0)
        let withAttrs = try store.int("SELECT count(*) FROM members WHERE attrs != '{}'")
        #expect(withAttrs > 500 && withAttrs < 2_500)
        #expect(try store.int("SELECT count(*) FROM members WHERE json_extract(attrs, '$.wechat_follower') = 1") > 0)
        #expect(try store.int("SELECT count(*) FROM members WHERE json_extract(attrs, '$.occupation') = 'teacher'") > 0)
    }

    @Test func everyMemberHasOneToThreeIdentities() throws {
        let (store, _) = try Self.sharedStore()
        #expect(try store.int("""
            SELECT count(*) FROM members m
            WHERE (SELECT count(*) FROM identities i WHERE i.member_id = m.id) NOT BETWEEN 1 AND 3
            """) == 0)
        #expect(Set(try store.pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT channel FROM identities") })
            == ["wechat", "phone", "tmall", "jd"])
        #expect(try store.int("SELECT count(*) FROM identities WHERE channel = 'phone' AND external_id NOT GLOB '13[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'") == 0)
        #expect(try store.int("SELECT count(*) FROM identities WHERE channel = 'wechat' AND (external_id NOT LIKE 'o%' OR length(external_id) != 28)") == 0)
        #expect(try store.int("SELECT count(*) FROM identities WHERE channel = 'tmall' AND external_id NOT GLOB 'tb[0-9]*'") == 0)
        #expect(try store.int("SELECT count(*) FROM identities WHERE channel = 'jd' AND external_id NOT GLOB 'jd_[0-9a-z]*'") == 0)
        // The registration channel's identity is always there.
        #expect(try store.int("""
            SELECT count(*) FROM members m WHERE m.channel = 'wechat'
            AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id AND i.channel = 'wechat')
            """) == 0)
    }

    @Test func ordersAndEventsAreRealistic() throws {
        let (store, summary) = try Self.sharedStore()
        let categories: Set = ["apparel", "beauty", "electronics", "grocery", "home", "sports", "books", "baby", "pet"]
        #expect(Set(try store.pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT category FROM orders") }) == categories)
        #expect(Set(try store.pool.read {
            try String.fetchAll($0, sql: "SELECT DISTINCT category FROM events WHERE category IS NOT NULL")
        }) == categories)
        #expect(try store.int("SELECT count(*) FROM orders WHERE product NOT GLOB category || '-[0-9][0-9][0-9][0-9]'") == 0)
        #expect(try store.int("SELECT count(*) FROM orders WHERE amount < 1 OR amount != round(amount, 2)") == 0)
        #expect(try store.int("SELECT count(*) FROM orders WHERE coupon IS NOT NULL AND coupon NOT IN ('C10', 'C20', 'FREESHIP')") == 0)
        let orders = Double(summary.orders)
        let newShare = Double(try store.int("SELECT count(*) FROM orders WHERE is_new_product = 1")) / orders
        let couponShare = Double(try store.int("SELECT count(*) FROM orders WHERE coupon IS NOT NULL")) / orders
        let unpaidShare = Double(try store.int("SELECT count(*) FROM orders WHERE paid = 0")) / orders
        #expect(abs(newShare - 0.15) < 0.03, "new products \(newShare)")
        #expect(abs(couponShare - 0.20) < 0.03, "coupons \(couponShare)")
        #expect(abs(unpaidShare - 0.04) < 0.015, "unpaid \(unpaidShare)")
        // Electronics orders cost more than books orders on average.
        let electronics = try store.pool.read { try Double.fetchOne($0, sql: "SELECT avg(amount) FROM orders WHERE category = 'electronics'") } ?? 0
        let books = try store.pool.read { try Double.fetchOne($0, sql: "SELECT avg(amount) FROM orders WHERE category = 'books'") } ?? 0
        #expect(electronics > 4 * books)

        let types = try store.pool.read {
            try String.fetchAll($0, sql: "SELECT type FROM events GROUP BY type ORDER BY count(*) DESC")
        }
        #expect(Set(types) == ["browse", "cart", "favourite", "search", "sign_in", "share", "coupon_claim"])
        #expect(types.first == "browse")
        #expect(try store.int("SELECT count(*) FROM events WHERE type IN ('browse', 'cart', 'favourite', 'search') AND category IS NULL") == 0)
        #expect(try store.int("SELECT count(*) FROM events WHERE (type = 'search') != (keyword IS NOT NULL)") == 0)
        #expect(try store.int("SELECT count(*) FROM events WHERE type = 'search' AND category = 'pet' AND keyword = 'cat food'") > 0)
        #expect(try store.int("SELECT count(*) FROM events WHERE json_valid(props) = 0") == 0)
        let dwell = try store.int("SELECT count(*) FROM events WHERE json_extract(props, '$.dwell') > 0")
        #expect(dwell > 0 && Double(dwell) < 0.2 * Double(summary.events))
    }

    @Test func everythingHappensInTheTwoYearsBeforeAsOf() throws {
        let (store, _) = try Self.sharedStore()
        let from = Self.asOfSeconds - 730 * Self.day
        for table in ["orders", "events"] {
            #expect(try store.int("SELECT count(*) FROM \(table) WHERE ts > \(Self.asOfSeconds) OR ts < \(from)") == 0, "\(table)")
            // Nothing before the member registered.
            #expect(try store.int("SELECT count(*) FROM \(table) t JOIN members m ON m.id = t.member_id WHERE t.ts < m.registered_at") == 0, "\(table)")
            // Written member by member, each member's rows in time order.
            #expect(try store.int("""
                SELECT count(*) FROM \(table) a JOIN \(table) b ON b.id = a.id + 1
                WHERE b.member_id < a.member_id OR (b.member_id = a.member_id AND b.ts < a.ts)
                """) == 0, "\(table)")
        }
    }

    // MARK: Archetypes

    @Test func everyArchetypeIsPresent() throws {
        let (store, _) = try Self.sharedStore()
        let now = Self.asOfSeconds
        let day = Self.day

        // One-time new customers: exactly one order, within the last 30 days.
        #expect(try store.int("""
            SELECT count(*) FROM (SELECT member_id FROM orders GROUP BY member_id
            HAVING count(*) = 1 AND max(ts) >= \(now - 30 * day))
            """) > 100)
        // Loyal repeat buyers: 8+ orders, the last one in the past 30 days.
        #expect(try store.int("""
            SELECT count(*) FROM (SELECT member_id FROM orders GROUP BY member_id
            HAVING count(*) >= 8 AND max(ts) >= \(now - 30 * day))
            """) > 100)
        // Big spenders: a few orders, total over 5,000.
        #expect(try store.int("""
            SELECT count(*) FROM (SELECT member_id FROM orders GROUP BY member_id
            HAVING count(*) <= 4 AND sum(amount) > 5000)
            """) > 20)
        // Lapsed: last order more than 180 days ago.
        #expect(try store.int("""
            SELECT count(*) FROM (SELECT member_id FROM orders GROUP BY member_id
            HAVING max(ts) < \(now - 180 * day))
            """) > 100)
        // Interest users: cart events in the last 7 days, no order then.
        #expect(try store.int("""
            SELECT count(DISTINCT e.member_id) FROM events e
            WHERE e.type = 'cart' AND e.ts >= \(now - 7 * day)
            AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = e.member_id AND o.ts >= \(now - 7 * day))
            """) > 100)
        // Never-buyers: only browse/sign_in events, no order.
        #expect(try store.int("""
            SELECT count(*) FROM members m
            WHERE EXISTS (SELECT 1 FROM events e WHERE e.member_id = m.id)
            AND NOT EXISTS (SELECT 1 FROM events e WHERE e.member_id = m.id AND e.type NOT IN ('browse', 'sign_in'))
            AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id)
            """) > 200)
        // Dormant: no activity at all.
        #expect(try store.int("""
            SELECT count(*) FROM members m
            WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.member_id = m.id)
            AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id)
            """) > 300)
        // Category A crowd: unpaid pet orders, and pet favourites/searches
        // from members who never bought pet.
        #expect(try store.int("SELECT count(*) FROM orders WHERE category = 'pet' AND paid = 0") > 5)
        #expect(try store.int("""
            SELECT count(DISTINCT e.member_id) FROM events e
            WHERE e.category = 'pet' AND e.type IN ('favourite', 'search')
            AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = e.member_id AND o.category = 'pet')
            """) > 50)
    }

    @Test func membersHaveAPreferredCategory() throws {
        let (store, _) = try Self.sharedStore()
        // Among members with 6+ orders, most put at least half in one category.
        let focused = try store.int("""
            SELECT count(*) FROM (
              SELECT member_id, max(n) * 2 >= sum(n) AS focused FROM (
                SELECT member_id, category, count(*) AS n FROM orders GROUP BY member_id, category)
              GROUP BY member_id HAVING sum(n) >= 6) WHERE focused
            """)
        let buyers = try store.int("SELECT count(*) FROM (SELECT member_id FROM orders GROUP BY member_id HAVING count(*) >= 6)")
        #expect(buyers > 100)
        #expect(Double(focused) > 0.6 * Double(buyers))
    }

    // MARK: API

    @Test func progressAndSummary() throws {
        let store = try TempStore()
        var reports: [DemoProgress] = []
        let options = DemoGenerator.Options(members: 12_000, seed: 7, asOf: Self.asOf)
        let summary = try DemoGenerator(options: options).generate(into: store.pool) { reports.append($0) }
        #expect(reports.count >= 2)
        #expect(reports.last == DemoProgress(rowsWritten: summary.rows, membersDone: 12_000, membersTotal: 12_000))
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.rowsWritten < $1.rowsWritten && $0.membersDone < $1.membersDone })
        // One report per transaction of about 100,000 rows.
        var previous = 0
        for report in reports.dropLast() {
            #expect(report.rowsWritten - previous >= 100_000 && report.rowsWritten - previous < 101_000)
            previous = report.rowsWritten
        }
        #expect(summary.seconds > 0)
        let description = summary.description
        #expect(description.hasPrefix("generated 12,000 members, "))
        #expect(description.contains(" orders, ") && description.hasSuffix(" s"))
        #expect(!description.contains("\n"))
    }

    @Test func refusesANonEmptyStore() throws {
        let (store, _) = try Self.generate(members: 10)
        let generator = DemoGenerator(options: .init(members: 10, asOf: Self.asOf))
        #expect(throws: DemoGeneratorError.storeNotEmpty) { try generator.generate(into: store.pool) { _ in } }
        let invalid = DemoGenerator(options: .init(members: -1, asOf: Self.asOf))
        #expect(throws: DemoGeneratorError.self) { try invalid.generate(into: try TempStore().pool) { _ in } }
    }

    /// Generation speed; runs only with `TAGD_DEMO_BENCH=<members>` set, e.g.
    /// `TAGD_DEMO_BENCH=1000000 swift test -c release --filter DemoGeneratorTests/benchmark`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TAGD_DEMO_BENCH"] != nil))
    func benchmark() throws {
        let members = Int(ProcessInfo.processInfo.environment["TAGD_DEMO_BENCH"] ?? "") ?? 1_000_000
        let store = try TempStore()
        let options = DemoGenerator.Options(members: members, asOf: Self.asOf)
        let summary = try DemoGenerator(options: options).generate(into: store.pool) { _ in }
        print("\(summary); \(summary.rows) rows, \(Int(summary.rowsPerSecond)) rows/s")
    }
}
