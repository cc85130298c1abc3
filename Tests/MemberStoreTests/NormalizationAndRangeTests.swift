import GRDB
import Testing

@testable import MemberStore

/// Member ids are NFC on every path; timestamps must lie in
/// ``TimestampParser/inputRange``.
@Suite struct NormalizationAndRangeTests {
    private let decomposed = "jose\u{301}", precomposed = "jos\u{e9}"

    @Test func normalizeIsNFCAndLeavesASCIIAlone() {
        #expect(MemberID.normalize("e\u{301}").unicodeScalars.map(\.value) == [0xE9])
        #expect(MemberID.normalize("\u{e9}").unicodeScalars.map(\.value) == [0xE9])
        #expect(MemberID.normalize("m-001") == "m-001")
        #expect(MemberID.normalize("\u{212B}").unicodeScalars.map(\.value) == [0xC5])  // Ångström sign -> Å
    }

    @Test func decomposedAndPrecomposedIdsAreOneMemberOnEveryPath() throws {
        let test = try TestStore()
        _ = try test.importText("m.csv", "member,region,id_wechat\n\(decomposed),East,wx_\(decomposed)\n", kind: .members)
        _ = try test.importText("m.ndjson", "{\"member\":\"\(precomposed)\",\"level\":2}\n", kind: .members)
        _ = try test.importText("o.csv", "member,ts\n\(precomposed),1\n\(decomposed),2\n", kind: .orders)
        _ = try test.importText(
            "e.ndjson", "{\"member\":\"jose\\u0301\",\"ts\":3,\"type\":\"browse\"}\n", kind: .events)
        _ = try test.store.ingest([
            .order(OrderInput(member: decomposed, ts: 4)),
            .event(EventInput(member: precomposed, ts: 5, type: "cart")),
        ])
        #expect(try test.store.counts() == StoreCounts(members: 1, identities: 1, orders: 3, events: 2))
        let stored: String? = try test.scalar("SELECT external_id FROM members")
        #expect(stored?.unicodeScalars.map(\.value) == Array(precomposed.unicodeScalars.map(\.value)))
        for id in [decomposed, precomposed] {
            let member = try #require(try test.store.member(externalID: id))
            #expect(member.region == "East" && member.level == 2)
            #expect(try test.store.member(channel: "wechat", identity: "wx_\(id)")?.id == member.id)
        }
        let writerID = try test.store.pool.write { db in try IngestWriter(db: db).memberID(for: decomposed) }
        #expect(try test.store.member(externalID: precomposed)?.id == writerID)
    }

    @Test func migrationNormalizesStoredIdsUnlessTaken() throws {
        let test = try TestStore()
        try test.store.pool.write { db in
            for (id, external) in [(1, decomposed), (2, "ren\u{e9}e"), (3, "rene\u{301}e")] {
                try db.execute(
                    sql: "INSERT INTO members(id, external_id, created_at, updated_at) VALUES (?, ?, 0, 0)",
                    arguments: [id, external])
            }
            try db.execute(
                sql: "INSERT INTO identities(channel, external_id, member_id) VALUES ('wechat', ?, 1)",
                arguments: ["wx_\(decomposed)"])
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-nfc-ids'")
        }
        let reopened = try MemberStore(path: test.store.path)
        defer { try? reopened.close() }
        #expect(try reopened.member(externalID: decomposed)?.id == 1)
        #expect(try reopened.member(channel: "wechat", identity: "wx_\(precomposed)")?.id == 1)
        let stored: [Row] = try reopened.pool.read { db in try Row.fetchAll(db, sql: "SELECT id, external_id FROM members ORDER BY id") }
        #expect(stored.map { Array(($0["external_id"] as String).unicodeScalars) } == [
            Array(precomposed.unicodeScalars), Array("ren\u{e9}e".unicodeScalars), Array("rene\u{301}e".unicodeScalars),
        ])
    }

    @Test(arguments: [
        ("1900-01-01", -2_208_988_800), ("2199-12-31T23:59:59Z", 7_258_118_399), ("-2208988800", -2_208_988_800),
        ("7258118399", 7_258_118_399),
    ] as [(String, Int64)])
    func timestampsAtTheEdgesOfTheRangeAreAccepted(text: String, expected: Int64) throws {
        let record = try RecordDecoder(kind: .orders).decode(["member": "m1", "ts": text])
        #expect(record == .order(OrderInput(member: "m1", ts: expected)))
    }

    @Test(arguments: ["1899-12-31T23:59:59Z", "2200-01-01", "9999-12-31", "0001-01-01", "2199-12-31T23:59:59-00:01"])
    func datesOutsideTheRangeAreRefused(text: String) {
        #expect(throws: RecordDecodingError(fields: [
            FieldError(field: "ts", reason: "\"\(text)\" is outside the accepted range 1900-01-01 .. 2199-12-31")
        ])) {
            try RecordDecoder(kind: .events).decode(["member": "m1", "ts": text, "type": "browse"])
        }
    }

    @Test func epochSecondsOutsideTheRangeAreRefused() throws {
        let test = try TestStore()
        let reason = "is outside the accepted range 1900-01-01 .. 2199-12-31 (epoch seconds expected; milliseconds?)"
        try test.expectFailure(
            "o.csv", "member,ts\nm1,7258118400\n", kind: .orders, endsWith: "o.csv:2: column 'ts': \"7258118400\" \(reason)")
        try test.expectFailure(
            "o.csv", "member,ts\nm1,-2208988801\n", kind: .orders, endsWith: "o.csv:2: column 'ts': \"-2208988801\" \(reason)")
        try test.expectFailure(
            "m.ndjson", "{\"member\":\"m1\",\"registered_at\":1.7e12}\n", kind: .members,
            endsWith: "m.ndjson:1: field 'registered_at': 1700000000000 \(reason)")
        #expect(try test.store.counts().orders == 0)
    }
}
