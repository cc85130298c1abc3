import Foundation
import GRDB
import Hummingbird
import MemberStore
import TagEngine

/// Members and tags, read-only.
struct ReadRoutes {
    let state: ServerState

    struct MemberProfile: Codable, Sendable {
        var id: String
        var attributes: [String: JSONValue]
        var identities: [String: String]
        var tags: [MemberTagValue]
        /// Set when the requested id was merged into this member.
        var mergedInto: String?
    }

    typealias HistoryEntry = MemberHistoryEntry

    struct TagMembersPage: Codable, Sendable {
        struct Item: Codable, Sendable {
            var member: String
            var value: String
            var since: Int64
        }
        var items: [Item]
        var nextCursor: String?
    }

    struct TagList: Codable, Sendable {
        var tags: [TagOverview]
        var errors: [String]
    }

    func register(on router: Router<TagRequestContext>) {
        router.get("v1/members/:id") { _, context in try await member(context) }
        router.get("v1/members/:id/history") { _, context in try await history(context) }
        router.get("v1/tags") { _, context in try await tags(context) }
        router.get("v1/tags/:name") { _, context in try await tag(context) }
        router.get("v1/tags/:name/members") { request, context in try await tagMembers(request, context) }
    }

    private func lookup(_ context: TagRequestContext) async throws -> MemberRecord {
        _ = try await context.require(.operator, for: "read", state: state)
        let raw = try context.parameters.require("id")
        let id = raw.removingPercentEncoding ?? raw
        guard var member = try await state.blocking({ try state.store.member(externalID: id) }) else {
            throw APIError.notFound("no member with external id \(id)")
        }
        // An absorbed member's id reads the survivor, saying so.
        if let survivor = member.mergedInto, var live = try await state.blocking({ try state.store.member(externalID: survivor) }) {
            live.mergedInto = survivor
            member = live
        }
        return member
    }

    func member(_ context: TagRequestContext) async throws -> JSONResponse<MemberProfile> {
        let member = try await lookup(context)
        let tags = try await state.blocking { try state.registry.tags(ofMember: member.id) }
        state.reads.record(tags.map(\.tag), via: "api")
        var attributes = member.attrs
        if let channel = member.channel { attributes["channel"] = .string(channel) }
        if let registered = member.registeredAt { attributes["registered_at"] = .number(Double(registered)) }
        if let gender = member.gender { attributes["gender"] = .string(gender) }
        if let region = member.region { attributes["region"] = .string(region) }
        if let birthday = member.birthday { attributes["birthday"] = .string(birthday) }
        if let level = member.level { attributes["level"] = .number(Double(level)) }
        return JSONResponse(
            MemberProfile(
                id: member.externalID, attributes: attributes, identities: member.identities, tags: tags, mergedInto: member.mergedInto))
    }

    func history(_ context: TagRequestContext) async throws -> JSONResponse<[HistoryEntry]> {
        let member = try await lookup(context)
        let entries = try await state.blocking {
            try state.pool.read { db in try MemberHistory.entries(memberID: member.id, limit: 1000, in: db) }
        }
        return JSONResponse(entries)
    }

    func tags(_ context: TagRequestContext) async throws -> JSONResponse<TagList> {
        _ = try await context.require(.operator, for: "read", state: state)
        return JSONResponse(try await state.blocking {
            let errors = try state.pool.read { db in try String.fetchAll(db, sql: "SELECT message FROM rule_errors ORDER BY path") }
            return TagList(tags: try state.registry.overview(), errors: errors)
        })
    }

    func tag(_ context: TagRequestContext) async throws -> JSONResponse<TagDetail> {
        _ = try await context.require(.operator, for: "read", state: state)
        let name = try context.parameters.require("name")
        let detail = try await state.blocking { try state.registry.detail(name: name) }
        state.reads.record([name], via: "api")
        return JSONResponse(detail)
    }

    func tagMembers(_ request: Request, _ context: TagRequestContext) async throws -> JSONResponse<TagMembersPage> {
        _ = try await context.require(.operator, for: "read", state: state)
        let name = try context.parameters.require("name")
        let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1), 10_000)
        let cursor = request.uri.queryParameters.get("cursor", as: Int64.self) ?? 0
        let value = request.uri.queryParameters.get("value")
        let page = try await state.blocking {
            try state.pool.read { db -> TagMembersPage in
                guard let tagID = try Int64.fetchOne(db, sql: "SELECT id FROM tags WHERE name = ?", arguments: [name]) else {
                    throw APIError.notFound("no tag named \(name)")
                }
                var sql = """
                    SELECT mt.member_id, m.external_id, mt.value, mt.since FROM member_tags mt JOIN members m ON m.id = mt.member_id
                    WHERE mt.tag_id = ? AND mt.member_id > ?
                    """
                var arguments: StatementArguments = [tagID, cursor]
                if let value {
                    sql += " AND mt.value = ?"
                    arguments += [value]
                }
                sql += " ORDER BY mt.member_id LIMIT ?"
                arguments += [limit + 1]
                let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
                let items = rows.prefix(limit).map { TagMembersPage.Item(member: $0[1], value: $0[2], since: $0[3]) }
                let next = rows.count > limit ? rows[limit - 1][0] as Int64 : nil
                return TagMembersPage(items: Array(items), nextCursor: next.map(String.init))
            }
        }
        state.reads.record([name], via: "api")
        return JSONResponse(page)
    }
}
