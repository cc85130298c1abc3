import Foundation
import Hummingbird
import TagEngine

/// Run control over HTTP: `POST /v1/runs/{id}/cancel` stops a running run
/// (in this server or in another process on the same store); it rolls back
/// and the tag keeps its live values. `GET /v1/me` says who a token is (the
/// CLI checks `--as` against it before acting through the server).
struct RunRoutes {
    let state: ServerState

    struct Me: Codable, Sendable {
        var name: String
        var role: String
    }

    struct Cancelled: Codable, Sendable {
        var run: Int64
        var status: String
        var detail: String
    }

    func register(on router: Router<TagRequestContext>) {
        router.post("v1/runs/:id/cancel") { request, context in try await cancel(request, context) }
        router.get("v1/me") { _, context in
            let user = try await context.require(.operator, for: "me", state: state)
            return JSONResponse(Me(name: user.name, role: user.role.rawValue))
        }
    }

    func cancel(_ request: Request, _ context: TagRequestContext) async throws -> JSONResponse<Cancelled> {
        let user = try await context.require(.operator, for: "cancel", state: state)
        guard let id = Int64(try context.parameters.require("id")) else { throw APIError.badRequest("run id must be a number") }
        let bytes = try await request.body.collect(upTo: 1 << 20)
        var reason: String?
        if bytes.readableBytes > 0, !String(buffer: bytes).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do {
                reason = try JSONDecoder().decode(AdminRoutes.Decision.self, from: Data(String(buffer: bytes).utf8)).reason
            } catch {
                throw APIError.badRequest("body must be a JSON object such as {\"reason\": \"...\"}")
            }
        }
        try await state.blocking { [reason] in
            try RunControl.cancel(runID: id, actor: user.name, reason: reason, pool: state.pool)
        }
        return JSONResponse(
            Cancelled(run: id, status: "cancelling", detail: "the run stops within a second, rolls back and keeps the live values"))
    }
}
