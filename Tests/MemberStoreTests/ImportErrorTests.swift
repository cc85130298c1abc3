import GRDB
import Testing

@testable import MemberStore

/// Every kind of bad input aborts the import with file:line:column and leaves
/// the store exactly as it was, including rows of an earlier import.
@Suite struct ImportErrorTests {
    /// A store holding one earlier successful import of each kind.
    private func seeded() throws -> (TestStore, [String]) {
        let test = try TestStore()
        _ = try test.importText("seed-members.csv", "member,id_wechat\nm0,wx_0\n", kind: .members)
        _ = try test.importText("seed-orders.csv", "id,member,ts,amount\no0,m0,2024-01-01,1\n", kind: .orders)
        _ = try test.importText("seed-events.ndjson", #"{"member":"m0","ts":1,"type":"browse"}"#, kind: .events)
        return (test, try test.snapshot())
    }

    private func expectFailure(
        _ name: String, _ contents: String, kind: RecordKind, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ImportError {
        let (test, before) = try seeded()
        let error = try test.importFailure(name, contents, kind: kind, sourceLocation: sourceLocation)
        let path = test.directory.appendingPathComponent(name).path
        #expect(error.description == "\(path)\(message)", sourceLocation: sourceLocation)
        #expect(try test.snapshot() == before, "store changed", sourceLocation: sourceLocation)
        return error
    }

    @Test func badNumber() throws {
        let error = try expectFailure(
            "orders.csv", "member,ts,amount\nm1,2024-01-01,3\nm2,2024-01-01,\"12,x\"\n", kind: .orders,
            message: #":3: column 'amount': "12,x" is not a number"#)
        #expect(error.line == 3 && error.fieldErrors.map(\.field) == ["amount"])
    }

    @Test func badTimestamp() throws {
        _ = try expectFailure(
            "events.csv", "member,ts,type\nm1,2024-02-30,browse\n", kind: .events,
            message: #":2: column 'ts': "2024-02-30" is not a timestamp (expected YYYY-MM-DD, ISO-8601 date-time or epoch seconds)"#)
        _ = try expectFailure(
            "events.csv", "member,ts,type\nm1,1700000000000,browse\n", kind: .events,
            message: #":2: column 'ts': "1700000000000" is outside the accepted range 1900-01-01 .. 2199-12-31 (epoch seconds expected; milliseconds?)"#)
    }

    @Test func missingRequiredField() throws {
        _ = try expectFailure(
            "events.csv", "member,ts,type\nm1,2024-01-01,browse\nm1,2024-01-01,\n", kind: .events,
            message: ":3: column 'type': is required")
        _ = try expectFailure(
            "orders.ndjson", "{\"member\":\"m1\",\"ts\":1}\n{\"member\":\"\",\"amount\":2}\n", kind: .orders,
            message: ":2: field 'member': is required; field 'ts': is required")
    }

    @Test func badBoolean() throws {
        _ = try expectFailure(
            "orders.csv", "member,ts,paid\nm1,2024-01-01,maybe\n", kind: .orders,
            message: #":2: column 'paid': "maybe" is not a boolean (expected true/false/1/0/yes/no)"#)
    }

    @Test func wrongCellCount() throws {
        _ = try expectFailure(
            "orders.csv", "member,ts,amount\nm1,2024-01-01,1\nm1,2024-01-01,1,extra\n", kind: .orders,
            message: ":3: expected 3 cells as in the header, found 4")
    }

    @Test func unterminatedQuote() throws {
        _ = try expectFailure(
            "orders.csv", "member,ts,product\nm1,2024-01-01,\"open\nm1,2024-01-01,x\n", kind: .orders,
            message: ":2: malformed CSV: quoted cell is never closed (missing '\"')")
    }

    @Test func badJSONLine() throws {
        _ = try expectFailure(
            "events.ndjson", "{\"member\":\"m1\",\"ts\":1,\"type\":\"cart\"}\n{\"member\":\"m1\" \"ts\":1}\n",
            kind: .events, message: ":2: invalid JSON: expected ',' or '}' at column 16")
        _ = try expectFailure(
            "events.ndjson", "[1,2]\n", kind: .events,
            message: ":1: invalid JSON: a JSON array is not supported; write one JSON object per line (NDJSON)")
        _ = try expectFailure(
            "events.ndjson", "{\n  \"member\": \"m1\"\n}\n", kind: .events,
            message: ":1: invalid JSON: expected a string key at column 2 (each line must hold one complete JSON object)")
        _ = try expectFailure(
            "events.ndjson", "42\n", kind: .events, message: ":1: invalid JSON: expected a JSON object, got 42")
    }

    @Test func missingHeaderColumn() throws {
        _ = try expectFailure(
            "orders.csv", "member,amount\nm1,3\n", kind: .orders,
            message: ":1: missing required column 'ts' (header: member, amount)")
        _ = try expectFailure("members.csv", "", kind: .members, message: ":1: missing CSV header line")
    }

    @Test func unknownOrderColumn() throws {
        _ = try expectFailure(
            "orders.csv", "member,ts,colour\nm1,1,red\n", kind: .orders,
            message: ":1: unknown column 'colour' (allowed: id, member, ts, amount, channel, category, product, "
                + "is_new_product, coupon, paid, identities, id_<channel>)")
        _ = try expectFailure(
            "orders.ndjson", #"{"member":"m1","ts":1,"colour":"red"}"#, kind: .orders,
            message: ":1: field 'colour': unknown column (orders allow: id, member, ts, amount, channel, category, "
                + "product, is_new_product, coupon, paid, identities, id_<channel>)")
    }

    @Test func duplicateHeaderColumn() throws {
        _ = try expectFailure(
            "members.csv", "member,region,region\nm1,a,b\n", kind: .members, message: ":1: duplicate column 'region'")
    }

    @Test func missingFile() throws {
        let test = try TestStore()
        let path = test.directory.appendingPathComponent("nope.csv").path
        #expect(throws: ImportError.self) { try test.store.importFile(path, kind: .orders) }
        let result = Result { () throws(ImportError) in try test.store.importFile(path, kind: .orders) }
        if case .failure(let error) = result { #expect(error.description == "\(path): no such file") }
    }
}
