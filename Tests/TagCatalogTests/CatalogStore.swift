import Foundation
import GRDB
import MemberStore

/// A scratch store (a real SQLite file) for the catalog's tests.
struct CatalogStore {
    let store: MemberStore
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try MemberStore(path: directory.appendingPathComponent("store.sqlite").path)
    }

    var pool: DatabasePool { store.pool }

    /// `count` members M1...; returns their store ids.
    @discardableResult
    func members(_ count: Int) throws -> [Int64] {
        try pool.write { db in
            try (1...count).map { i in
                try db.execute(sql: "INSERT INTO members(external_id, created_at, updated_at) VALUES (?, 0, 0)", arguments: ["M\(i)"])
                return db.lastInsertedRowID
            }
        }
    }

    /// A tag row; returns its id.
    func tag(_ name: String, kind: String = "tag") throws -> Int64 {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO tags(name, kind, state, created_at, updated_at) VALUES (?, ?, 'active', 0, 0)", arguments: [name, kind])
            return db.lastInsertedRowID
        }
    }

    /// Live values: `member -> value` for tag `tagID`.
    func hold(_ tagID: Int64, _ values: [Int64: String]) throws {
        try pool.write { db in
            for (member, value) in values {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO member_tags(tag_id, member_id, value, since) VALUES (?, ?, ?, 0)",
                    arguments: [tagID, member, value])
            }
        }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
