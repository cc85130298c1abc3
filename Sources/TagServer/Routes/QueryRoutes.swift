import Foundation
import GRDB
import Hummingbird
import MemberStore
import NIOCore
import TagEngine

/// Ad-hoc member queries over live tags and attributes (see ``MemberQuery``).
struct QueryRoutes {
    let state: ServerState

    /// `{"query": "...", "limit": 100, "cursor": "..."}`.
    struct QueryRequest: Decodable, Sendable {
        var query: String
        var limit: Int?
        var cursor: String?
    }

    func register(on router: Router<TagRequestContext>) {
        router.post("v1/query") { request, context in try await query(request, context) }
    }

    /// Answers `{count, items: [{member, values}], nextCursor}`; a query that
    /// does not parse or names an unknown tag gets 400 with `query:LINE:COLUMN: ...`.
    func query(_ request: Request, _ context: TagRequestContext) async throws -> JSONResponse<QueryPage> {
        _ = try await context.require(.operator, for: "query", state: state)
        let (buffer, _) = try await RequestBody.collect(request, upTo: 1 << 20)
        let body: QueryRequest
        do {
            body = try JSONDecoder().decode(QueryRequest.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badRequest(
                #"body must be a JSON object {"query": "...", "limit": 100, "cursor": "..."} with a query string"#,
                errors: [.init(field: "query", reason: "missing or not a string")])
        }
        if let limit = body.limit, limit < 0 || limit > 10_000 {
            throw APIError.badRequest("limit must be between 0 and 10000", errors: [.init(field: "limit", reason: "out of range")])
        }
        let limit = body.limit ?? 100
        let result: QueryRun
        do {
            result = try await state.blocking { try MemberQuery.run(body.query, in: state.pool, limit: limit, cursor: body.cursor) }
        } catch let error as QueryError {
            throw APIError.badRequest(
                error.description, errors: [.init(line: error.line, field: "query", reason: "column \(error.column): \(error.message)")])
        } catch let error as QueryCursorError {
            throw APIError.badRequest(error.description, errors: [.init(field: "cursor", reason: "not a nextCursor")])
        }
        state.reads.record(result.tags, via: "api")
        return JSONResponse(result.page)
    }
}
