import Foundation
import GRDB
import MemberStore

/// The shipped rules' features written by hand as one SQL query: the
/// baseline `tagd bench` compares a full run against (the BG/NBD inputs
/// included; the model's fit is evaluation, not SQL). Keep it in step with
/// the features of `rules/` (the attribute rules have none).
enum HandWrittenSQL {
    static func time(pool: DatabasePool, asOf: Int64) throws -> Double {
        let year = asOf - 365 * 86_400, month = asOf - 30 * 86_400, week = asOf - 7 * 86_400, quarter = asOf - 90 * 86_400
        // The repurchase crowd's per-category counts and first / last purchases.
        let repurchase: String = ["grocery", "beauty", "baby", "pet"].map { (c: String) -> String in
            let filter: String = "FILTER (WHERE paid = 1 AND ts > :year AND category = '\(c)')"
            return "count(*) \(filter) AS \(c)_n, min(ts) \(filter) AS \(c)_first, max(ts) \(filter) AS \(c)_last,"
        }.joined(separator: "\n    ")
        let sql: String = """
            WITH o AS (
              SELECT member_id,
                max(ts) FILTER (WHERE paid = 1) AS last_paid,
                count(*) FILTER (WHERE paid = 1 AND ts > :year) AS frequency,
                total(amount) FILTER (WHERE paid = 1 AND ts > :year) AS monetary,
                count(*) FILTER (WHERE ts > :year) AS orders_year,
                count(*) FILTER (WHERE ts > :month) AS orders_month,
                count(*) FILTER (WHERE ts > :week) AS orders_week,
                count(*) FILTER (WHERE paid = 1) AS paid_orders,
                count(*) FILTER (WHERE paid = 1 AND ts > :year AND is_new_product = 1) AS new_products,
                count(DISTINCT product) FILTER (WHERE paid = 1 AND ts > :year) AS products,
                \(repurchase)
                min(ts) AS first_order, max(ts) AS last_order,
                min(ts) FILTER (WHERE paid = 1) AS first_paid,
                count(DISTINCT ts - (ts % 86400 + 86400) % 86400) FILTER (WHERE paid = 1) AS purchase_days,
                count(DISTINCT ts - (ts % 86400 + 86400) % 86400) FILTER (WHERE paid = 1 AND ts > :year) AS purchase_days_year
              FROM orders WHERE ts <= :now GROUP BY member_id),
            e AS (
              SELECT member_id, count(*) FILTER (WHERE ts > :week AND type IN ('cart', 'favourite')) AS intents,
                count(*) FILTER (WHERE type IN ('cart', 'favourite')) AS deep,
                count(*) FILTER (WHERE type IN ('browse', 'search')) AS browsing,
                count(*) AS events, max(ts) AS last_event
              FROM events WHERE ts <= :now GROUP BY member_id),
            \(mode("oc", "orders", "category", "ts > :year")),
            \(mode("ec", "events", "category", "ts > :quarter")),
            \(mode("nc", "orders", "category", "ts > :year AND paid = 1 AND is_new_product = 1")),
            \(mode("cc", "orders", "coupon", "ts > :year AND paid = 1")),
            \(mode("pc", "orders", "product", "ts > :year AND paid = 1"))
            SELECT m.id, o.*, e.*, oc.value, ec.value, nc.value, cc.value, pc.value
            FROM members m LEFT JOIN o ON o.member_id = m.id LEFT JOIN e ON e.member_id = m.id
            LEFT JOIN oc ON oc.member_id = m.id AND oc.r = 1 LEFT JOIN ec ON ec.member_id = m.id AND ec.r = 1
            LEFT JOIN nc ON nc.member_id = m.id AND nc.r = 1 LEFT JOIN cc ON cc.member_id = m.id AND cc.r = 1
            LEFT JOIN pc ON pc.member_id = m.id AND pc.r = 1
            ORDER BY m.id
            """
        let started = Date()
        var rows = 0
        try pool.read { db in
            let cursor = try Row.fetchCursor(
                db, sql: sql,
                arguments: ["now": asOf, "year": year, "month": month, "week": week, "quarter": quarter])
            while try cursor.next() != nil { rows += 1 }
        }
        return Date().timeIntervalSince(started)
    }

    /// A CTE `name(member_id, value, r)` ranking each member's values of
    /// `column` as `mode` does (most rows, then latest, then smallest): r = 1 wins.
    private static func mode(_ name: String, _ table: String, _ column: String, _ condition: String) -> String {
        """
        \(name) AS (
          SELECT member_id, \(column) AS value,
            row_number() OVER (PARTITION BY member_id ORDER BY count(*) DESC, max(ts) DESC, \(column)) AS r
          FROM \(table) WHERE ts <= :now AND \(condition) AND \(column) IS NOT NULL GROUP BY member_id, \(column))
        """
    }
}

extension HandWrittenSQL {
    /// Seconds SQLite takes to write exactly what a first run wrote (every
    /// live value and its history row, one transaction per tag, into the
    /// same tables and indexes): with ``time(pool:asOf:)``, the floor a first
    /// run is compared with. The rows are set aside and written back as they
    /// were (same ids), so the store is left as it is.
    static func timeWrites(pool: DatabasePool) throws -> Double {
        let tags = try pool.write { db -> [Int64] in
            try db.execute(sql: """
                CREATE TEMP TABLE bench_tags AS SELECT * FROM member_tags;
                CREATE TEMP TABLE bench_history AS SELECT * FROM tag_history;
                DELETE FROM member_tags; DELETE FROM tag_history;
                """)
            return try Int64.fetchAll(db, sql: "SELECT DISTINCT tag_id FROM bench_tags")
        }
        let started = Date()
        for tag in tags {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO member_tags SELECT * FROM bench_tags WHERE tag_id = ? ORDER BY member_id;
                        INSERT INTO tag_history SELECT * FROM bench_history WHERE tag_id = ? ORDER BY id;
                        """, arguments: [tag, tag])
            }
        }
        // Durable in the database file, as a tagd run's writes are when it returns.
        try pool.checkpointUnlessBusy()
        let seconds = Date().timeIntervalSince(started)
        try pool.write { db in try db.execute(sql: "DROP TABLE bench_tags; DROP TABLE bench_history") }
        return seconds
    }
}
