import GRDB
import Testing

@testable import MemberStore

@Suite struct CSVImportTests {
    @Test func importsMembersWithIdentitiesAndAttrs() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "members.csv",
            """
            member,channel,registered_at,gender,region,birthday,level,id_wechat,vip_note
            m1,store,1997-01-01,f,Shanghai,1990-05-01,3,wx_1,gold
            m2,online,852076800,m,,05-17,,,
            "m3",app,"1997-01-01T10:00:00+08:00",,Beijing,,1,wx_3,"says ""hi"", twice"

            """, kind: .members)
        #expect(summary.imported == 3)
        #expect(summary.membersCreated == 3)
        #expect(summary.counts.identities == 2)
        #expect(summary.format == .csv)
        let m1 = try #require(try test.store.member(externalID: "m1"))
        #expect(m1.channel == "store")
        #expect(m1.registeredAt == 852_076_800)
        #expect(m1.gender == "f")
        #expect(m1.region == "Shanghai")
        #expect(m1.birthday == "1990-05-01")
        #expect(m1.level == 3)
        #expect(m1.identities == ["wechat": "wx_1"])
        #expect(m1.attrs == ["vip_note": "gold"])
        let m2 = try #require(try test.store.member(externalID: "m2"))
        #expect(m2.region == nil && m2.level == nil && m2.birthday == "05-17")
        #expect(m2.attrs.isEmpty && m2.identities.isEmpty)
        let m3 = try #require(try test.store.member(channel: "wechat", identity: "wx_3"))
        #expect(m3.externalID == "m3")
        let expected: Int64 = 852_076_800 + 2 * 3600
        #expect(m3.registeredAt == expected)
        #expect(m3.attrs["vip_note"] == "says \"hi\", twice")
    }

    @Test func memberReimportUpdatesGivenFieldsAndMergesAttrs() throws {
        let test = try TestStore()
        _ = try test.importText("a.csv", "member,region,level,tier\nm1,East,2,silver\n", kind: .members)
        let summary = try test.importText("b.csv", "member,level,points\nm1,5,120\nm2,1,\n", kind: .members)
        #expect(summary.counts.updated == 1 && summary.counts.inserted == 1 && summary.membersCreated == 1)
        let m1 = try #require(try test.store.member(externalID: "m1"))
        #expect(m1.region == "East")
        #expect(m1.level == 5)
        #expect(m1.attrs == ["tier": "silver", "points": "120"])
    }

    @Test func importsOrdersInEveryTimestampFormat() throws {
        let test = try TestStore()
        _ = try test.importText("members.csv", "member\nm1\n", kind: .members)
        let summary = try test.importText(
            "orders.csv",
            """
            id,member,ts,amount,channel,category,product,is_new_product,coupon,paid
            o1,m1,1997-01-01,12.5,store,shoes,sku1,yes,C10,true
            o2,m1,1997-01-01T10:00:00Z,3,,,,0,,no
            o3,m2,1997-01-01T10:00:00.250+08:00,0,,,,,,
            o4,m2,1997-01-01 10:00:00,1e2,,,,TRUE,,1
            o5,m3,852076800,7,,,,,,
            o6,m3,852076800.9,7,,,,,,
            ,m3,1997-01-01T10:00:00-0130,7,,,,,,
            """, kind: .orders)
        #expect(summary.imported == 7)
        #expect(summary.membersCreated == 2)
        #expect(summary.badRowCount == 0)
        let day: Int64 = 852_076_800
        let rows = try test.rows("SELECT order_key, ts, amount, is_new_product, paid, coupon FROM orders ORDER BY id")
        #expect(rows.map { $0["ts"] as Int64 } == [
            day, day + 36_000, day + 36_000 - 8 * 3600, day + 36_000, day, day, day + 36_000 + 5400,
        ])
        #expect(rows.map { $0["amount"] as Double } == [12.5, 3, 0, 100, 7, 7, 7])
        #expect(rows.map { $0["is_new_product"] as Bool } == [true, false, false, true, false, false, false])
        #expect(rows.map { $0["paid"] as Bool } == [true, false, true, true, true, true, true])
        #expect(rows[0]["coupon"] as String? == "C10")
        #expect(rows[6]["order_key"] as String? == nil)
        let owner: String? = try test.scalar(
            "SELECT external_id FROM members JOIN orders ON orders.member_id = members.id WHERE order_key = 'o3'")
        #expect(owner == "m2")
    }

    @Test func importsEventsWithExtraColumnsAsProps() throws {
        let test = try TestStore()
        let summary = try test.importText(
            "events.csv",
            "id,member,ts,type,category,keyword,page,duration\r\n"
                + "e1,m1,2024-03-01T08:00:00Z,browse,shoes,,/p/1,35\r\n"
                + "e2,m1,2024-03-01T09:00:00Z,search,,red boots,,\r\n",
            kind: .events)
        #expect(summary.imported == 2 && summary.membersCreated == 1)
        let rows = try test.rows("SELECT type, category, keyword, props FROM events ORDER BY id")
        #expect(rows[0]["props"] as String == #"{"duration":"35","page":"/p/1"}"#)
        #expect(rows[1]["keyword"] as String == "red boots")
        #expect(rows[1]["props"] as String == "{}")
        #expect(rows[1]["category"] as String? == nil)
    }

    @Test func quotedNewlinesKeepPhysicalLineNumbers() throws {
        let test = try TestStore()
        let error = try test.importFailure(
            "orders.csv",
            "member,ts,product\nm1,2024-01-01,\"multi\nline\nname\"\nm1,2024-01-02,ok\n\nm1,nope,x\n",
            kind: .orders)
        #expect(error.line == 7)
        #expect(error.description.hasSuffix(#"orders.csv:7: column 'ts': "nope" is not a timestamp (expected YYYY-MM-DD, ISO-8601 date-time or epoch seconds)"#))
    }

    @Test func tinyChunksParseTheSameAsOneChunk() throws {
        let test = try TestStore()
        var options = ImportOptions()
        options.chunkSize = 3
        let text = "\u{FEFF}member,ts,product,coupon\r\nm1,2024-01-01,\"a \"\"b\"\",\r\nc\",x\r\nm2,2024-01-02,,\"\"\r\n"
        let summary = try test.importText("orders.csv", text, kind: .orders, options: options)
        #expect(summary.imported == 2)
        let products = try test.rows("SELECT product, coupon FROM orders ORDER BY id")
        #expect(products[0]["product"] as String == "a \"b\",\r\nc")
        #expect(products[1]["product"] as String? == nil && products[1]["coupon"] as String? == nil)
    }

    @Test func formatIsSniffedWithoutExtension() throws {
        let test = try TestStore()
        let csv = try test.importText("data.txt", "member\nm1\n", kind: .members)
        let json = try test.importText("data2.txt", "  {\"member\":\"m2\"}\n", kind: .members)
        #expect(csv.format == .csv && json.format == .ndjson)
        #expect(try test.store.counts().members == 2)
    }
}
