import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// What a tag's last run computed, kept in the store so the next run can
/// recompute only what changed: every member's feature values (and the raw
/// timestamps behind `days_since`), the population mask, the as-of time and
/// the change-log and history marks the run had seen.
///
/// Kept in the store rather than in the server's memory so that CLI runs
/// (another process) are incremental too, and so that it commits atomically
/// with the run's values: a run killed at any moment leaves both the old
/// values and the old snapshot, and the next run repairs from there.
struct FeatureSnapshot {
    var tagID: Int64
    var versionID: Int64
    var asOf: Int64
    /// `change_log` rows up to this id were seen.
    var changeMark: Int64
    /// `tag_history` rows up to this id were seen (dependencies).
    var historyMark: Int64
    /// Members and columns, including the raw-timestamp columns.
    var table: FeatureTable
    /// Which members `population` kept (`nil`: the rule has none).
    var mask: [Bool]?
    /// How many live values the tag had when the snapshot was taken: a
    /// different count at the next run means the values were changed outside
    /// runs (deleted by hand, written by realtime evaluation), and the run
    /// is a full one.
    var covered: Int = 0
    /// What a pop-reading rule asked `pop`, member by member (see ``PopRecording``).
    var recording: PopRecording?
    /// The model fits the values were predicted with (see ``ModelFits``).
    var fits: ModelFits?
    /// How many members' rows correct the stored data (``SnapshotRows``).
    var rows = 0
    /// The recording's fingerprints as the header holds them (set on the
    /// recording when the data is loaded).
    var fingerprints: [PopRecording.Key: [Double]] = [:]

    /// The snapshot of `tagID` without its data (an empty table), if any and
    /// if it still describes the tag's live values; `members` says how many
    /// members its data holds.
    static func header(tagID: Int64, in db: Database) throws -> (snapshot: FeatureSnapshot, members: Int)? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT version_id, as_of, change_mark, history_mark, stats, pop_fingerprints FROM feature_snapshots WHERE tag_id = ?",
            arguments: [tagID])
        else { return nil }
        let covered = Int(row["stats"] as String) ?? -1
        let live = try TagDistribution.live(tagID: tagID, in: db)
        guard covered == live, let members = try memberCount(tagID: tagID, in: db) else { return nil }
        var snapshot = FeatureSnapshot(
            tagID: tagID, versionID: row["version_id"], asOf: row["as_of"], changeMark: row["change_mark"],
            historyMark: row["history_mark"], table: FeatureTable(memberIDs: [], columns: [:]), mask: nil, covered: covered)
        if let data = row["pop_fingerprints"] as Data? { snapshot.fingerprints = PopRecording.fingerprints(from: data) ?? [:] }
        return (snapshot, members)
    }

    /// The member count from the head of the data (its first page only).
    private static func memberCount(tagID: Int64, in db: Database) throws -> Int? {
        guard let count = storedInteger(tagID: tagID, at: 8, in: db) else { return nil }  // after the format
        return count >= 0 && count < Int64(Int32.max) ? Int(count) : nil
    }

    /// The last (highest) member id of the data of `count` members, read from its blob.
    static func lastMember(tagID: Int64, count: Int, in db: Database) throws -> Int64? {
        guard count > 0 else { return nil }
        return storedInteger(tagID: tagID, at: 16 + 8 * (count - 1), in: db)  // format, count, then the ids
    }

    /// The little-endian integer at byte `offset` of tag `tagID`'s data, read alone.
    private static func storedInteger(tagID: Int64, at offset: Int, in db: Database) -> Int64? {
        var blob: OpaquePointer?
        guard sqlite3_blob_open(db.sqliteConnection, "main", "feature_snapshot_data", "data", tagID, 0, &blob) == SQLITE_OK,
            let blob
        else { return nil }
        defer { sqlite3_blob_close(blob) }
        var value = Int64(0)
        guard Int(sqlite3_blob_bytes(blob)) >= offset + 8, sqlite3_blob_read(blob, &value, 8, Int32(offset)) == SQLITE_OK else { return nil }
        return Int64(littleEndian: value)
    }

    /// This header's snapshot with its data, if the data holds every one of
    /// `specs`. The data is read with SQLite's incremental blob I/O straight
    /// into the columns (no copy of the whole blob is made).
    func loaded(specs: Set<FeatureSpec>, in db: Database) throws -> FeatureSnapshot? {
        var blob: OpaquePointer?
        guard sqlite3_blob_open(db.sqliteConnection, "main", "feature_snapshot_data", "data", tagID, 0, &blob) == SQLITE_OK,
            let blob
        else { return nil }
        defer { sqlite3_blob_close(blob) }
        let source = SnapshotCoding.Source(count: Int(sqlite3_blob_bytes(blob))) { buffer, offset in
            guard sqlite3_blob_read(blob, buffer.baseAddress, Int32(buffer.count), Int32(offset)) == SQLITE_OK else {
                throw SnapshotCoding.Corrupt()
            }
        }
        // Unreadable, or made for other features: the run is a full one.
        guard var decoded = try? SnapshotCoding.decode(source) else { return nil }
        let rows = try SnapshotRows.load(tagID: tagID, in: db)
        guard (try? SnapshotRows.apply(rows, to: &decoded)) != nil else { return nil }
        var table = FeatureTable(memberIDs: decoded.ids, columns: [:])
        for spec in specs {
            guard let column = decoded.columns["\(spec)"] else { return nil }
            if case .numeric(_, let values) = column {
                table.columns[spec] = .numeric(spec.resultType, values)
            } else if case .compact(_, let values) = column {
                table.columns[spec] = .compact(spec.resultType, values)
            } else {
                table.columns[spec] = column
            }
        }
        var snapshot = self
        snapshot.table = table
        snapshot.mask = decoded.mask
        snapshot.recording = decoded.recording.flatMap { $0.count == table.count ? $0 : nil }
        snapshot.recording?.fingerprints = fingerprints
        snapshot.rows = rows.count
        return snapshot
    }

    /// Writes (replaces) the snapshot, in the caller's transaction. The
    /// blob is reserved with `zeroblob` and filled with SQLite's incremental
    /// blob I/O, column by column, so no encoded copy of the whole snapshot
    /// is ever held in memory.
    func save(in db: Database) throws {
        let size = SnapshotCoding.size(table, mask: mask, recording: recording)
        guard size < Int(Int32.max) else { throw RunError.store("the snapshot of tag \(tagID) would exceed 2 GiB") }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO feature_snapshots(tag_id, version_id, as_of, change_mark, history_mark, stats, pop_fingerprints)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [tagID, versionID, asOf, changeMark, historyMark, String(covered), recording?.encodedFingerprints])
        try db.execute(
            sql: "INSERT OR REPLACE INTO feature_snapshot_data(tag_id, data) VALUES (?, zeroblob(?))", arguments: [tagID, size])
        try fits?.save(tagID: tagID, versionID: versionID, in: db)
        try SnapshotRows.clear(tagID: tagID, in: db)
        var blob: OpaquePointer?
        guard sqlite3_blob_open(db.sqliteConnection, "main", "feature_snapshot_data", "data", tagID, 1, &blob) == SQLITE_OK,
            let blob
        else { throw RunError.store("cannot open the snapshot of tag \(tagID) for writing") }
        defer { sqlite3_blob_close(blob) }
        var offset: Int32 = 0
        try SnapshotCoding.write(table, mask: mask, recording: recording) { piece in
            guard piece.count > 0 else { return }
            guard sqlite3_blob_write(blob, piece.baseAddress, Int32(piece.count), offset) == SQLITE_OK else {
                throw RunError.store("cannot write the snapshot of tag \(tagID)")
            }
            offset += Int32(piece.count)
        }
    }

    /// Moves a stored snapshot's as-of time and marks forward without
    /// rewriting its data (a run in which no member's features moved), and
    /// stores its model fits when it has any (a new fit).
    func advance(in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE feature_snapshots SET as_of = ?, change_mark = ?, history_mark = ?, stats = ?, pop_fingerprints = ?
                WHERE tag_id = ?
                """,
            arguments: [asOf, changeMark, historyMark, String(covered), recording?.encodedFingerprints, tagID])
        try fits?.save(tagID: tagID, versionID: versionID, in: db)
    }

    /// Drops what the runs of tag `tagID` (every tag's, for `nil`) left for
    /// the next run: snapshot, data, rows and model fits. Its next run is a full one.
    static func delete(tagID: Int64?, in db: Database) throws {
        for table in ["feature_snapshots", "feature_snapshot_data", "feature_snapshot_rows", "model_fits", "tag_distributions"] {
            if let tagID {
                try db.execute(sql: "DELETE FROM \(table) WHERE tag_id = ?", arguments: [tagID])
            } else {
                try db.execute(sql: "DELETE FROM \(table)")
            }
        }
    }

    /// The newest `change_log` and `tag_history` ids visible to `db`.
    static func marks(in db: Database) throws -> (change: Int64, history: Int64) {
        (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_log") ?? 0,
         try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM tag_history") ?? 0)
    }

    /// Drops change-log rows every active tag's snapshot has seen.
    static func pruneChangeLog(in db: Database) throws {
        let mark = try Int64.fetchOne(db, sql: """
            SELECT min(s.change_mark) FROM feature_snapshots s JOIN tags t ON t.id = s.tag_id WHERE t.state = 'active'
            """)
        if let mark {
            try db.execute(sql: "DELETE FROM change_log WHERE id <= ?", arguments: [mark])
        } else {
            try db.execute(sql: "DELETE FROM change_log")
        }
    }
}
