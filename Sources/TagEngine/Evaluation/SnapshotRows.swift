import Foundation
import GRDB
import MemberStore

/// Per-member rows that correct a tag's stored snapshot, so that an
/// incremental run writes what changed instead of the whole snapshot.
///
/// A snapshot is a base blob (``SnapshotCoding``) plus, in
/// `feature_snapshot_rows`, one row for each member whose features, mask bit
/// or recorded `pop` answers changed since the base was written. Loading
/// applies the rows over the base; an incremental run over the same members
/// upserts rows for the members it re-computed or re-evaluated, in the
/// transaction that writes their values. When the rows would cover more
/// than an eighth of the members (or the members, the recorded constants or
/// the layout changed), the run writes a new base and drops the rows.
enum SnapshotRows {
    /// Rows may cover at most this share of the members before a new base is written.
    static let compactionShare = 8

    /// Whether `rows` rows plus `adding` more stay within the share of `members`.
    static func fit(_ rows: Int, adding: Int, members: Int) -> Bool {
        rows + adding <= members / compactionShare
    }

    /// The encoded row of member `index`: every column in `names` order
    /// (numbers as 8 bytes, text as a length and UTF-8, -1 for none), the
    /// mask bit, and the member's recorded questions with their answers.
    static func encode(
        index: Int, columns: [(name: String, column: FeatureColumn)], mask: [Bool]?, recording: PopRecording?,
        keys: [[UInt8]]? = nil
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + 9 * columns.count + (recording.map { 32 * $0.entries(of: index).count } ?? 0))
        func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) {
            int32(Int32(s.utf8.count))
            out.append(contentsOf: s.utf8)
        }
        for (_, column) in columns {
            switch column {
            case .numeric, .compact:
                out.append(0)
                double(column.double(at: index))
            case .text(let codes, let words):
                out.append(1)
                if codes[index] < 0 { int32(-1) } else { string(words[Int(codes[index])]) }
            }
        }
        out.append(mask.map { $0[index] ? 1 : 0 } ?? 2)
        guard let recording else {
            int32(-1)
            return out
        }
        let entries = recording.entries(of: index)
        int32(Int32(entries.count))
        for entry in entries {
            let id = Int(recording.keyIDs[entry])
            if let keys {
                out.append(contentsOf: keys[id])
            } else {
                out.append(contentsOf: encoded(recording.keys[id]))
            }
            double(recording.values[entry])
            double(recording.answers[entry])
        }
        return out
    }

    /// A question as a row holds it: the question, the feature and the parameter.
    static func encoded(_ key: PopRecording.Key) -> [UInt8] {
        var out: [UInt8] = [key.question.rawValue]
        withUnsafeBytes(of: Int32(key.feature.utf8.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: key.feature.utf8)
        withUnsafeBytes(of: key.parameter.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// Applies `rows` (member id, encoded row) over a decoded base, in place.
    /// Throws ``SnapshotCoding/Corrupt`` when a row does not fit the base.
    static func apply(_ rows: [(member: Int64, data: [UInt8])], to decoded: inout SnapshotCoding.Decoded) throws {
        guard !rows.isEmpty else { return }
        let names = decoded.columns.keys.sorted()
        let isText = names.map { name -> Bool in
            if case .text? = decoded.columns[name] { return true }
            return false
        }
        // Read every row first, then patch each column once (held uniquely: no copy).
        var numbers = [[(index: Int, value: Double)]](repeating: [], count: names.count)
        var words = [[(index: Int, word: String?)]](repeating: [], count: names.count)
        var overrides: [(index: Int, entries: [PopRecording.Entry])] = []
        let known = (decoded.recording?.keys ?? []).map { (bytes: encoded($0), key: $0) }
        let table = FeatureTable(memberIDs: decoded.ids, columns: [:])
        for row in rows {
            guard let index = table.index(of: row.member) else { throw SnapshotCoding.Corrupt() }
            var reader = ByteReader(bytes: row.data)
            for c in names.indices {
                guard try reader.byte() == (isText[c] ? 1 : 0) else { throw SnapshotCoding.Corrupt() }
                if isText[c] {
                    words[c].append((index, try reader.optionalString()))
                } else {
                    numbers[c].append((index, try reader.double()))
                }
            }
            let bit = try reader.byte()
            guard (bit == 2) == (decoded.mask == nil), bit <= 2 else { throw SnapshotCoding.Corrupt() }
            if bit < 2 { decoded.mask?[index] = bit == 1 }
            let entries = try reader.int32()
            guard (entries >= 0) == (decoded.recording != nil) else { throw SnapshotCoding.Corrupt() }
            if entries >= 0 {
                overrides.append((index, try (0..<Int(entries)).map { position in
                    // Rows ask the base's questions, mostly in one order: matched as bytes, not decoded.
                    let key: PopRecording.Key
                    if position < known.count, reader.skip(known[position].bytes) {
                        key = known[position].key
                    } else if let match = known.first(where: { reader.skip($0.bytes) }) {
                        key = match.key
                    } else {
                        guard let question = PopQuestion(rawValue: try reader.byte()) else { throw SnapshotCoding.Corrupt() }
                        key = PopRecording.Key(question: question, feature: try reader.string(), parameter: try reader.double())
                    }
                    return (key, try reader.double(), try reader.double())
                }))
            }
            guard reader.isAtEnd else { throw SnapshotCoding.Corrupt() }
        }
        for (c, name) in names.enumerated() {
            switch decoded.columns.removeValue(forKey: name) {
            case .numeric(let type, var values)?:
                for patch in numbers[c] { values[patch.index] = patch.value }
                decoded.columns[name] = .numeric(type, values)
            case .compact(let type, let values)?:
                var column = FeatureColumn.compact(type, values)  // widened if a value needs it
                for patch in numbers[c] { column.setNumber(patch.value, at: patch.index) }
                decoded.columns[name] = column
            case .text(var codes, var dictionary)?:
                var known = Dictionary(dictionary.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
                for patch in words[c] {
                    guard let word = patch.word else {
                        codes[patch.index] = -1
                        continue
                    }
                    if let code = known[word] {
                        codes[patch.index] = code
                    } else {
                        codes[patch.index] = Int32(dictionary.count)
                        known[word] = Int32(dictionary.count)
                        dictionary.append(word)
                    }
                }
                decoded.columns[name] = .text(codes, dictionary: dictionary)
            case nil:
                throw SnapshotCoding.Corrupt()
            }
        }
        if var base = decoded.recording, !overrides.isEmpty {
            decoded.recording = nil  // held uniquely: patched in place
            // Rows come in member order, which is index order; sorted anyway if not.
            if zip(overrides, overrides.dropFirst()).contains(where: { $0.index >= $1.index }) { overrides.sort { $0.index < $1.index } }
            try base.replace(overrides)
            decoded.recording = base
        }
    }

    /// The rows of tag `tagID`, by member.
    static func load(tagID: Int64, in db: Database) throws -> [(member: Int64, data: [UInt8])] {
        // Each row's bytes are copied once, straight from SQLite's buffer.
        var rows: [(member: Int64, data: [UInt8])] = []
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT member_id, data FROM feature_snapshot_rows WHERE tag_id = ?", arguments: [tagID])
        while let row = try cursor.next() {
            rows.append((row[0], try row.withUnsafeData(atIndex: 1) { data in data.map { [UInt8]($0) } ?? [] }))
        }
        return rows
    }

    /// How many members of tag `tagID` have rows.
    static func count(tagID: Int64, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM feature_snapshot_rows WHERE tag_id = ?", arguments: [tagID]) ?? 0
    }

    /// Writes (replaces) the rows of the members at `indexes` of `table`.
    static func save(
        tagID: Int64, indexes: [Int], table: FeatureTable, mask: [Bool]?, recording: PopRecording?, in db: Database
    ) throws {
        let columns = table.columns.map { (name: "\($0.key)", column: $0.value) }.sorted { $0.name < $1.name }
        // Each question encoded once, not once per member; bound with the C API.
        let keys = recording?.keys.map(encoded)
        let statement = RawStatement(try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO feature_snapshot_rows(tag_id, member_id, data) VALUES (?, ?, ?)"))
        for index in indexes {
            statement.reset()
            statement.bind(1, tagID)
            statement.bind(2, table.memberIDs[index])
            statement.bind(3, blob: encode(index: index, columns: columns, mask: mask, recording: recording, keys: keys))
            try statement.executeDirectly()
        }
        statement.reset()
    }

    /// Drops every row of tag `tagID` (a new base was written).
    static func clear(tagID: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM feature_snapshot_rows WHERE tag_id = ?", arguments: [tagID])
    }
}
