import GRDB
import LuaHost

/// The member as a hook sees it: `id` (external id), `attr`, `identities`, `tags`.
struct HookMember {
    var externalID: String
    var value: LuaValue

    static func load(_ id: Int64, in db: Database) throws -> HookMember {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(MemberRow.columns) FROM members WHERE id = ?", arguments: [id]) else {
            return HookMember(externalID: String(id), value: .table(["id": .string(String(id))]))
        }
        let member = MemberRow(row: row, withAttributes: true)
        var identities: [String: LuaValue] = [:]
        for identity in try Row.fetchAll(db, sql: "SELECT channel, external_id FROM identities WHERE member_id = ?", arguments: [id]) {
            identities[identity[0]] = .string(identity[1])
        }
        var tags: [String: LuaValue] = [:]
        for tag in try Row.fetchAll(db, sql: """
            SELECT t.name, mt.value FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ?
            """, arguments: [id]) {
            tags[tag[0]] = .string(tag[1])
        }
        return HookMember(
            externalID: member.externalID,
            value: .table([
                "id": .string(member.externalID), "attr": member.attributes, "identities": .table(identities), "tags": .table(tags),
            ]))
    }
}
