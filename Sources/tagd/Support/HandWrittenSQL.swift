import Foundation
import GRDB

/// The shipped rules' features written by hand as one SQL query: the
/// baseline `tagd bench` compares a full run against (the BG/NBD inputs
/// included; the model's fit is evaluation, not SQL).
enum HandWrittenSQL {
    static func time(pool: DatabasePool, asOf: Int64) throws -> Double {
        let year = asOf - 365 * 86_400, month = asOf - 30 * 86_400, week = asOf - 7 * 86_400, quarter = asOf - 90 * 86_400
        let sql = """
            WITH o AS (
              SELECT member_id,
                max(ts) FILTER (WHERE paid = 1) AS last_paid,
                count(*) FILTER (WHERE paid = 1 AND ts > :year) AS frequency,
                total(amount) FILTER (WHERE paid = 1 AND ts > :year) AS monetary,
                count(*) FILTER (WHERE ts > :year) AS orders_year,
                count(*) FILTER (WHERE ts > :month) AS orders_month,
                count(*) FILTER (WHERE ts > :week) AS orders_week,
                min(ts) AS first_order, max(ts) AS last_order,
                min(ts) FILTER (WHERE paid = 1) AS first_paid,
                count(DISTINCT ts - (ts % 86400 + 86400) % 86400) FILTER (WHERE paid = 1) AS purchase_days,
                count(DISTINCT ts - (ts % 86400 + 86400) % 86400) FILTER (WHERE paid = 1 AND ts > :year) AS purchase_days_year
              FROM orders WHERE ts <= :now GROUP BY member_id),
            e AS (
              SELECT member_id, count(*) FILTER (WHERE ts > :week AND type IN ('cart', 'favourite')) AS intents,
                max(ts) AS last_event
              FROM events WHERE ts <= :now GROUP BY member_id),
            oc AS (
              SELECT member_id, category, row_number() OVER (PARTITION BY member_id ORDER BY count(*) DESC, max(ts) DESC, category) AS r
              FROM orders WHERE ts <= :now AND ts > :year AND category IS NOT NULL GROUP BY member_id, category),
            ec AS (
              SELECT member_id, category, row_number() OVER (PARTITION BY member_id ORDER BY count(*) DESC, max(ts) DESC, category) AS r
              FROM events WHERE ts <= :now AND ts > :quarter AND category IS NOT NULL GROUP BY member_id, category)
            SELECT m.id, o.*, e.intents, e.last_event, oc.category, ec.category
            FROM members m LEFT JOIN o ON o.member_id = m.id LEFT JOIN e ON e.member_id = m.id
            LEFT JOIN oc ON oc.member_id = m.id AND oc.r = 1 LEFT JOIN ec ON ec.member_id = m.id AND ec.r = 1
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
        let seconds = Date().timeIntervalSince(started)
        try pool.write { db in try db.execute(sql: "DROP TABLE bench_tags; DROP TABLE bench_history") }
        return seconds
    }
}
