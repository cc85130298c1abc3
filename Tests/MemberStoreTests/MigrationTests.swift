import GRDB
import Testing

@testable import MemberStore

@Suite struct MigrationTests {
    @Test func createsSchemaInWALMode() throws {
        let test = try TestStore()
        let mode: String? = try test.store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let foreignKeys: Int? = try test.store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == 1)
        let tables: [String] = try test.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name")
        }
        let v1Tables: Set = [
            "audit_log", "events", "identities", "member_tags", "members", "orders", "runs", "settings",
            "tag_history", "tag_versions", "tags", "users",
        ]
        #expect(v1Tables.isSubset(of: tables))
        let indexes: [String] = try test.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        }
        let v1Indexes: Set = [
            "events_member_ts", "identities_member", "member_tags_member", "orders_member_ts", "runs_tag",
            "tag_history_tag",
        ]
        #expect(v1Indexes.isSubset(of: indexes))
        let orderColumns: [String] = try test.store.pool.read { db in try db.columns(in: "orders").map(\.name) }
        #expect(orderColumns == [
            "id", "member_id", "ts", "amount", "channel", "category", "product", "is_new_product", "coupon", "paid",
            "order_key", "props", "origin_id",
        ])
        // v9: covering `ts` indexes replace v8's.
        #expect(indexes.contains("orders_ts_member") && indexes.contains("events_ts_member"))
        #expect(!indexes.contains("orders_ts") && !indexes.contains("events_ts"))
        // v11: a member's history is found tag by tag.
        #expect(indexes.contains("tag_history_tag_member") && !indexes.contains("tag_history_member"))
        // v13: a member's orders carry `paid` and `amount` in their index.
        let covered: [String] = try test.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('orders_member_ts') ORDER BY seqno")
        }
        #expect(covered == ["member_id", "ts", "paid", "amount"])
    }

    @Test func reopeningIsIdempotent() throws {
        let test = try TestStore()
        _ = try test.store.ingest(members: [MemberInput(externalID: "m1")])
        let again = try MemberStore(path: test.store.path)
        #expect(try again.counts().members == 1)
        let applied: [String] = try again.pool.read { db in try MemberStore.migrator().appliedMigrations(db) }
        #expect(applied.first == "v1")
        #expect(applied == MemberStore.migrator().migrations)
        try again.close()
    }

    @Test func openFailureNamesThePath() {
        #expect {
            _ = try MemberStore(path: "/nonexistent-dir/x/store.sqlite")
        } throws: { error in
            "\(error)".contains("/nonexistent-dir/x/store.sqlite")
        }
    }
}
