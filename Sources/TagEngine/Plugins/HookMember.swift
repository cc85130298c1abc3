import GRDB
import LuaHost

/// The member as a hook sees it: `id` (external id), `attr`, `identities`, `tags`.
struct HookMember {
    var externalID: String
    var value: LuaValue

    static func load(_ id: Int64, in db: Database) throws -> HookMember {
        try loadMany([id], in: db)[id] ?? HookMember(externalID: String(id), value: .table(["id": .string(String(id))]))
    }

    /// Members `ids` with three queries, for a batch of hook calls.
    static func loadMany(_ ids: [Int64], in db: Database) throws -> [Int64: HookMember] {
        guard !ids.isEmpty else { return [:] }
        let list = ids.map(String.init).joined(separator: ",")
        var identities: [Int64: [String: LuaValue]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT member_id, channel, external_id FROM identities WHERE member_id IN (\(list))") {
            identities[row[0], default: [:]][row[1]] = .string(row[2])
        }
        var tags: [Int64: [String: LuaValue]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT mt.member_id, t.name, mt.value FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id IN (\(list))
            """) {
            tags[row[0], default: [:]][row[1]] = .string(row[2])
        }
        var result: [Int64: HookMember] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT \(MemberRow.columns) FROM members WHERE id IN (\(list))") {
            let id: Int64 = row[0]
            let member = MemberRow(row: row)
            result[id] = HookMember(
                externalID: member.externalID ?? String(id),
                value: .table([
                    "id": .string(member.externalID ?? String(id)), "attr": member.attributes, "identities": .table(identities[id] ?? [:]),
                    "tags": .table(tags[id] ?? [:]),
                ]))
        }
        return result
    }
}
