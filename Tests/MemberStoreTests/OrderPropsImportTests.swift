import Foundation
import GRDB
import Testing

@testable import MemberStore

/// Extra order columns are custom columns, kept in `orders.props`.
@Suite struct OrderPropsImportTests {
    func props(_ store: TestStore) throws -> [String] {
        try store.store.pool.read { db in try String.fetchAll(db, sql: "SELECT props FROM orders ORDER BY id") }
    }

    @Test func csvExtrasAreStoredWithPlainNumbersAsNumbers() throws {
        let store = try TestStore()
        let summary = try store.importText(
            "orders.csv", "member,ts,amount,quantity,store,code,note\n"
                + "m1,1,2,3,sh-01,007,\"a \"\"quoted\"\", comma\"\n"
                + "m1,2,2,2.50,门店,-0.5,\n"
                + "m2,3,2,,,1e3, x \n",
            kind: .orders)
        #expect(summary.imported == 3)
        #expect(try props(store) == [
            #"{"code":"007","note":"a \"quoted\", comma","quantity":3,"store":"sh-01"}"#,
            #"{"code":-0.5,"quantity":2.5,"store":"门店"}"#,
            #"{"code":1000,"note":"x"}"#,
        ])
    }

    @Test func identityColumnsNameTheMemberAndStayOutOfProps() throws {
        let store = try TestStore()
        _ = try store.importText("members.csv", "member,id_phone\nm1,+86 138 0013 8000\n", kind: .members)
        let summary = try store.importText(
            "orders.csv", "ts,amount,quantity,id_phone\n1,2,3,+86 138 0013 8000\n", kind: .orders)
        #expect(summary.imported == 1)
        #expect(try props(store) == [#"{"quantity":3}"#])
        let owner = try store.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT m.external_id FROM orders o JOIN members m ON m.id = o.member_id")
        }
        #expect(owner == "m1")
    }

    @Test func ndjsonExtrasAndPropsObjectKeepTheirTypes() throws {
        let store = try TestStore()
        _ = try store.importText(
            "orders.ndjson",
            #"{"member":"m1","ts":1,"quantity":"3","props":{"gift":true,"n":1},"n":2}"# + "\n"
                + #"{"member":"m1","ts":2}"# + "\n",
            kind: .orders)
        // An extra key wins over the same key of `props`.
        #expect(try props(store) == [#"{"gift":true,"n":2,"quantity":"3"}"#, "{}"])
    }

    @Test func badCustomValuesAreFieldErrors() throws {
        let store = try TestStore()
        let error = try store.importFailure("orders.ndjson", #"{"member":"m1","ts":1,"note":"a\u0000b"}"#, kind: .orders)
        #expect(error.message.contains("field 'note': contains a NUL character"), "\(error.message)")
        let bad = try store.importFailure("orders.ndjson", #"{"member":"m1","ts":1,"props":[1]}"#, kind: .orders)
        #expect(bad.message.contains("field 'props': expected a JSON object"), "\(bad.message)")
        #expect(try props(store).isEmpty)
    }

    @Test func changingPropsLogsTheMember() throws {
        let store = try TestStore()
        _ = try store.importText("orders.csv", "member,ts,store\nm1,1,a\nm2,1,b\n", kind: .orders)
        let mark = try store.store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM change_log") ?? 0 }
        try store.store.pool.write { db in
            try db.execute(sql: #"UPDATE orders SET props = json_set(props, '$.store', 'c') WHERE member_id = 2"#)
        }
        let logged = try store.store.pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT member_id FROM change_log WHERE id > ?", arguments: [mark])
        }
        #expect(logged == [2])
    }
}
