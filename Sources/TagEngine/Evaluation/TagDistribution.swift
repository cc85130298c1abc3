import Foundation
import GRDB

/// How many members hold each value of a tag, kept with the tag so that an
/// incremental run gets its top values from the counts and its own changes
/// instead of counting every live value again.
///
/// Valid while nothing but the tag's runs changed its values: it is stored
/// with the tag's newest `tag_history` id, and realtime writes, merges and
/// splits (which all write history) make it stale. Tags with more than
/// ``limit`` distinct values (scores) keep none and are counted each time.
enum TagDistribution {
    /// The most distinct values a stored distribution holds.
    static let limit = 1_000

    /// The newest history id of tag `tagID`.
    static func mark(tagID: Int64, in db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM tag_history WHERE tag_id = ?", arguments: [tagID]) ?? 0
    }

    /// What is kept for a tag.
    enum Kept {
        /// Every value's count, valid now.
        case counts([String: Int])
        /// The tag had more than ``limit`` distinct values: count its top values each time.
        case tooMany
        /// Nothing valid: count every value and keep the counts.
        case none
    }

    /// What is kept for tag `tagID`, if still valid.
    static func load(tagID: Int64, in db: Database) throws -> Kept {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT history_mark, counts FROM tag_distributions WHERE tag_id = ?", arguments: [tagID])
        else { return .none }
        guard let text = row["counts"] as String? else { return .tooMany }  // how many values a tag has changes slowly
        guard row["history_mark"] as Int64 == (try mark(tagID: tagID, in: db)),
            let counts = try? JSONDecoder().decode([String: Int].self, from: Data(text.utf8))
        else { return .none }
        return .counts(counts)
    }

    /// Every value's count, from the live values.
    static func count(tagID: Int64, in db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT value, count(*) FROM member_tags WHERE tag_id = ? GROUP BY value", arguments: [tagID])
        while let row = try rows.next() { counts[row[0]] = row[1] }
        return counts
    }

    /// The `limit` most held live values of tag `tagID`, counted in SQL.
    static func top(tagID: Int64, limit: Int = 5, in db: Database) throws -> [RunReport.ValueCount] {
        try Row.fetchAll(
            db, sql: "SELECT value, count(*) AS n FROM member_tags WHERE tag_id = ? GROUP BY value ORDER BY n DESC, value LIMIT ?",
            arguments: [tagID, limit]
        ).map { RunReport.ValueCount(value: $0["value"], count: $0["n"]) }
    }

    /// Keeps `counts` for tag `tagID` as of its newest history row (past
    /// ``limit`` values, only that it has too many).
    static func save(_ counts: [String: Int], tagID: Int64, in db: Database) throws {
        let text = counts.count <= limit ? String(decoding: try JSONEncoder().encode(counts), as: UTF8.self) : nil
        try db.execute(
            sql: "INSERT OR REPLACE INTO tag_distributions(tag_id, history_mark, counts) VALUES (?, ?, ?)",
            arguments: [tagID, try mark(tagID: tagID, in: db), text])
    }

    /// The `limit` most held values, most first (ties: by value).
    static func top(_ counts: [String: Int], limit: Int = 5) -> [RunReport.ValueCount] {
        counts.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { RunReport.ValueCount(value: $0.key, count: $0.value) }
    }
}
