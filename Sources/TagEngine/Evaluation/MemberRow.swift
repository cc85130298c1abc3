import Foundation
import GRDB
import LuaHost

/// A member as `evaluate` sees it besides its features: the external id and
/// the raw attributes, turned into a Lua table only when a rule reads `m.attr`.
struct MemberRow {
    var externalID: String?
    private var channel: String?
    private var registeredAt: Int64?
    private var gender: String?
    private var region: String?
    private var birthday: String?
    private var level: Int64?
    private var attrs: String?

    static let columns = "id, external_id, channel, registered_at, gender, region, birthday, level, attrs"

    /// A member known only by index (rules that read neither `m.id` nor `m.attr`).
    static let anonymous = MemberRow()

    private init() {}

    init(row: Row) {
        externalID = row[1]
        channel = row[2]
        registeredAt = row[3]
        gender = row[4]
        region = row[5]
        birthday = row[6]
        level = row[7]
        attrs = row[8]
    }

    /// `m.attr`: the base attributes plus the JSON ones.
    var attributes: LuaValue {
        var fields: [String: LuaValue] = [:]
        if let attrs, attrs != "{}", let data = attrs.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            for (key, value) in object { fields[key] = LuaValue(json: value) }
        }
        if let channel { fields["channel"] = .string(channel) }
        if let gender { fields["gender"] = .string(gender) }
        if let region { fields["region"] = .string(region) }
        if let birthday { fields["birthday"] = .string(birthday) }
        if let registeredAt { fields["registered_at"] = .integer(registeredAt) }
        if let level { fields["level"] = .integer(level) }
        return .table(fields)
    }
}

extension LuaValue {
    /// Bridges a `JSONSerialization` value.
    init(json: Any) {
        switch json {
        case let n as NSNumber:
            switch String(cString: n.objCType) {
            case "c", "B": self = .bool(n.boolValue)
            case "f", "d": self = .number(n.doubleValue)
            default: self = .integer(n.int64Value)
            }
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(LuaValue.init(json:)))
        case let o as [String: Any]: self = .table(o.mapValues(LuaValue.init(json:)))
        default: self = .nil
        }
    }
}

extension RuleEvaluator {
    /// Calls `body(index, member)` for every member of the table (or those at
    /// indexes `only`, ascending), in order. Member rows are streamed only
    /// when the rule reads `m.id` or `m.attr`.
    func forEachMember(in db: Database, only: [Int]? = nil, _ body: (Int, MemberRow) throws -> Void) throws {
        if let only {
            return try forEachMember(in: db, indexes: only, body)
        }
        guard rule.usesAttributes || rule.usesID else {
            for index in 0..<table.count { try body(index, .anonymous) }
            return
        }
        // A few members (realtime): fetch just them; everyone: one ordered scan.
        let filter = table.count <= 1_000 ? " WHERE id IN (\(table.memberIDs.map(String.init).joined(separator: ",")))" : ""
        let rows = try Row.fetchCursor(db, sql: "SELECT \(MemberRow.columns) FROM members\(filter) ORDER BY id")
        var index = 0
        while let row = try rows.next(), index < table.count {
            let id: Int64 = row[0]
            if id < table.memberIDs[index] { continue }
            while index < table.count, table.memberIDs[index] < id { index += 1 }
            guard index < table.count, table.memberIDs[index] == id else { continue }
            try body(index, MemberRow(row: row))
            index += 1
        }
    }

    /// ``forEachMember(in:only:_:)`` for a subset: member rows fetched by id, 500 at a time.
    private func forEachMember(in db: Database, indexes: [Int], _ body: (Int, MemberRow) throws -> Void) throws {
        guard rule.usesAttributes || rule.usesID else {
            for index in indexes { try body(index, .anonymous) }
            return
        }
        var start = 0
        while start < indexes.count {
            let batch = indexes[start..<min(start + 500, indexes.count)]
            start += 500
            let ids = batch.map { String(table.memberIDs[$0]) }.joined(separator: ",")
            var rows: [Int64: MemberRow] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(MemberRow.columns) FROM members WHERE id IN (\(ids))") {
                rows[row[0]] = MemberRow(row: row)
            }
            for index in batch { try body(index, rows[table.memberIDs[index]] ?? .anonymous) }
        }
    }
}
