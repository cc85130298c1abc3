import Foundation
import Hummingbird
import TagEngine

/// `GET /v1/segments/{name}/members`: a segment's members with identities and
/// chosen attributes (`columns=region,level,attr.key`), paged by cursor.
struct SegmentRoutes {
    let state: ServerState

    struct Page: Codable, Sendable {
        var items: [SegmentExport.Row]
        var nextCursor: String?
    }

    func register(on router: Router<TagRequestContext>) {
        router.get("v1/segments/:name/members") { request, context in try await members(request, context) }
    }

    func members(_ request: Request, _ context: TagRequestContext) async throws -> JSONResponse<Page> {
        _ = try await context.require(.operator, for: "read", state: state)
        let name = try context.parameters.require("name")
        let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 1_000, 1), 10_000)
        let cursor = request.uri.queryParameters.get("cursor", as: Int64.self) ?? 0
        let columns = (request.uri.queryParameters.get("columns") ?? "").split(separator: ",").map(String.init)
        let page = try await state.blocking { () throws -> Page in
            let export: SegmentExport
            do {
                export = try SegmentExport(pool: state.pool, name: name, columns: columns)
            } catch let error as LifecycleError {
                throw APIError.badRequest(error.message)
            }
            do {
                let rows = try export.page(after: cursor, limit: limit + 1)
                return Page(items: Array(rows.prefix(limit)), nextCursor: rows.count > limit ? String(rows[limit - 1].cursor) : nil)
            } catch let error as LifecycleError {
                throw APIError.notFound(error.message)
            }
        }
        state.reads.record([name], via: "api")
        return JSONResponse(page)
    }
}
