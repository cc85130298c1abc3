import Foundation
import GRDB

/// How many members hold each value of a tag, kept with the tag so that an
/// incremental run gets its top values from the counts and its own changes
/// instead of counting every live value again.
///
/// Valid while nothing but the tag's runs changed its values: it is stored
/// with the tag's newest `tag_history` id, and realtime writes, merges and
/// splits (which all write history) make it stale. Tags with more than
/// ``limit`` distinct values (scores) keep only their ``keptTop`` most held
/// values and a ceiling on every other value's count (``Top``).
enum TagDistribution {
    /// The most distinct values a stored distribution holds.
    static let limit = 1_000
    /// How many values a tag with more than ``limit`` keeps.
    static let keptTop = 100

    /// The newest history id of tag `tagID`.
    static func mark(tagID: Int64, in db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM tag_history WHERE tag_id = ?", arguments: [tagID]) ?? 0
    }

    /// What is kept for a tag.
    enum Kept {
        /// Every value's count, valid now.
        case counts([String: Int])
        /// The most held values of a tag with too many, valid now.
        case top(Top)
        /// Nothing valid: count every value and keep the counts.
        case none
    }

    /// The most held values of a tag with more than ``limit`` distinct
    /// values, exactly counted, and a count no other value exceeds.
    struct Top: Codable, Equatable {
        var counts: [String: Int]
        var ceiling: Int
    }

    /// What is kept for tag `tagID`, if still valid.
    static func load(tagID: Int64, in db: Database) throws -> Kept {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT history_mark, counts, top FROM tag_distributions WHERE tag_id = ?", arguments: [tagID]),
            row["history_mark"] as Int64 == (try mark(tagID: tagID, in: db))
        else { return .none }
        if let text = row["counts"] as String? {
            return (try? JSONDecoder().decode([String: Int].self, from: Data(text.utf8))).map { .counts($0) } ?? .none
        }
        guard let text = row["top"] as String?, let top = try? JSONDecoder().decode(Top.self, from: Data(text.utf8)) else { return .none }
        return .top(top)
    }

    /// Every value's count, from the live values.
    static func count(tagID: Int64, in db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT value, count(*) FROM member_tags WHERE tag_id = ? GROUP BY value", arguments: [tagID])
        while let row = try rows.next() { counts[row[0]] = row[1] }
        return counts
    }

    /// Keeps `counts` for tag `tagID` as of its newest history row (past
    /// ``limit`` values, their ``Top``), with the number of its live values.
    static func save(_ counts: [String: Int], live: Int, tagID: Int64, in db: Database) throws {
        try save(counts.count <= limit ? .counts(counts) : .top(Top(keeping: counts)), live: live, tagID: tagID, in: db)
    }

    /// Keeps `kept` for tag `tagID` as of its newest history row, with the number of its live values.
    static func save(_ kept: Kept, live: Int, tagID: Int64, in db: Database) throws {
        var counts: String?
        var top: String?
        switch kept {
        case .counts(let all): counts = String(decoding: try JSONEncoder().encode(all), as: UTF8.self)
        case .top(let most): top = String(decoding: try JSONEncoder().encode(most), as: UTF8.self)
        case .none: break
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO tag_distributions(tag_id, history_mark, counts, top, live) VALUES (?, ?, ?, ?, ?)",
            arguments: [tagID, try mark(tagID: tagID, in: db), counts, top, live])
    }

    /// How many live values tag `tagID` has: as kept by its last run while
    /// nothing but runs changed them (no history since), else counted.
    ///
    /// Every writer of live values in tagd writes history (runs, realtime
    /// evaluation, merges, splits). A hand edit of the store does not; one
    /// that deletes every value of the tag is still noticed here (the kept
    /// count says some, the store holds none), a partial one only by a count.
    static func live(tagID: Int64, in db: Database) throws -> Int {
        if let kept = try Int.fetchOne(
            db,
            sql: """
                SELECT live FROM tag_distributions
                WHERE tag_id = ? AND live IS NOT NULL
                  AND history_mark = (SELECT coalesce(max(id), 0) FROM tag_history WHERE tag_id = ?)
                """,
            arguments: [tagID, tagID]),
            try (kept > 0) == Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM member_tags WHERE tag_id = ?)", arguments: [tagID]) ?? false
        {
            return kept
        }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM member_tags WHERE tag_id = ?", arguments: [tagID]) ?? 0
    }

    /// The `limit` most held values, most first (ties: by value).
    static func top(_ counts: [String: Int], limit: Int = 5) -> [RunReport.ValueCount] {
        ordered(counts).prefix(limit).map { RunReport.ValueCount(value: $0.key, count: $0.value) }
    }

    /// The values held by anyone, most held first (ties: by value).
    static func ordered(_ counts: [String: Int]) -> [(key: String, value: Int)] {
        counts.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }
}
