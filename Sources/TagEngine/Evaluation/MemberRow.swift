import Foundation
import GRDB
import LuaHost

/// A member as `evaluate` sees it besides its features.
struct MemberRow {
    var externalID: String
    var attributes: LuaValue

    static let columns = "id, external_id, channel, registered_at, gender, region, birthday, level, attrs"

    init(row: Row, withAttributes: Bool) {
        externalID = row[1]
        guard withAttributes else {
            attributes = .nil
            return
        }
        var fields: [String: LuaValue] = [:]
        let attrs: String = row[8] ?? "{}"
        if attrs != "{}", let data = attrs.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            for (key, value) in object { fields[key] = LuaValue(json: value) }
        }
        for (offset, name) in ["channel", "gender", "region", "birthday"].enumerated() {
            if let s: String = row[[2, 4, 5, 6][offset]] { fields[name] = .string(s) }
        }
        if let registered: Int64 = row[3] { fields["registered_at"] = .integer(registered) }
        if let level: Int64 = row[7] { fields["level"] = .integer(level) }
        attributes = .table(fields)
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
    /// Calls `body(index, member)` for every member of the table, in order.
    func forEachMember(in db: Database, _ body: (Int, MemberRow) throws -> Void) throws {
        // A few members (realtime): fetch just them; everyone: one ordered scan.
        let filter = table.count <= 1_000 ? " WHERE id IN (\(table.memberIDs.map(String.init).joined(separator: ",")))" : ""
        let rows = try Row.fetchCursor(db, sql: "SELECT \(MemberRow.columns) FROM members\(filter) ORDER BY id")
        var index = 0
        while let row = try rows.next(), index < table.count {
            let id: Int64 = row[0]
            if id < table.memberIDs[index] { continue }
            while index < table.count, table.memberIDs[index] < id { index += 1 }
            guard index < table.count, table.memberIDs[index] == id else { continue }
            try body(index, MemberRow(row: row, withAttributes: rule.usesAttributes))
            index += 1
        }
    }
}
