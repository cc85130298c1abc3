import GRDB
import Testing

@testable import MemberStore

@Suite struct NDJSONImportTests {
    @Test func importsMembersWithTypedAttrsAndIdentities() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "members.ndjson",
            """
            {"member":"m1","channel":"app","registered_at":"2020-02-29T12:00:00Z","level":2,"identities":{"wechat":"wx_1","phone":"138"},"vip":true,"points":120.5,"tags":["a"]}

            {"member":12345,"registered_at":1582977600,"attrs":{"score":7},"id_alipay":"ali_9","region":null}
            """, kind: .members)
        #expect(summary.imported == 2 && summary.membersCreated == 2 && summary.counts.identities == 3)
        #expect(summary.format == .ndjson)
        let m1 = try #require(try test.store.member(externalID: "m1"))
        #expect(m1.registeredAt == 1_582_977_600)
        #expect(m1.level == 2)
        #expect(m1.identities == ["wechat": "wx_1", "phone": "138"])
        #expect(m1.attrs == ["vip": true, "points": 120.5, "tags": ["a"]])
        let m2 = try #require(try test.store.member(externalID: "12345"))
        #expect(m2.registeredAt == 1_582_977_600)
        #expect(m2.attrs == ["score": 7])
        #expect(m2.identities == ["alipay": "ali_9"])
        #expect(m2.region == nil)
        let stored: String? = try test.scalar("SELECT attrs FROM members WHERE external_id = 'm1'")
        #expect(stored == #"{"points":120.5,"tags":["a"],"vip":true}"#)
    }

    @Test func importsOrdersAndCreatesMembers() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "orders.jsonl",
            """
            {"id":"o1","member":"m1","ts":"1997-01-01","amount":"19.90","paid":false}
            {"id":"o2","member":"m2","ts":852076800,"amount":5,"is_new_product":1}
            {"member":"m2","ts":"1997-01-01T00:00:00.5Z","is_new_product":"no"}
            """, kind: .orders)
        #expect(summary.imported == 3 && summary.membersCreated == 2)
        let rows = try test.rows("SELECT ts, amount, paid, is_new_product FROM orders ORDER BY id")
        #expect(rows.map { $0["ts"] as Int64 } == [852_076_800, 852_076_800, 852_076_800])
        #expect(rows.map { $0["amount"] as Double } == [19.9, 5, 0])
        #expect(rows.map { $0["paid"] as Bool } == [false, true, true])
        #expect(rows.map { $0["is_new_product"] as Bool } == [false, true, false])
    }

    @Test func importsEventsWithPropsAndUnknownFields() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "events.json",
            """
            {"id":"e1","member":"m1","ts":"2024-03-01T08:00:00+08:00","type":"coupon_claim","props":{"coupon":"C1"},"store":"S1","qty":2}
            {"id":"e2","member":"m1","ts":"2024-03-01T08:00:00Z","type":"sign_in"}
            """, kind: .events)
        #expect(summary.imported == 2 && summary.membersCreated == 1)
        let rows = try test.rows("SELECT ts, type, props FROM events ORDER BY id")
        #expect(rows[0]["ts"] as Int64 == 1_709_251_200)
        #expect(rows[0]["type"] as String == "coupon_claim")
        #expect(rows[0]["props"] as String == #"{"coupon":"C1","qty":2,"store":"S1"}"#)
        #expect(rows[1]["props"] as String == "{}")
    }
}
