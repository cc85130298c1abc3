import Foundation
import NIOCore
import GRDB
import Hummingbird
import TagEngine
import TextDiff

/// The lifecycle over HTTP: approve, reject, retire, restore, plan, pending,
/// review, audit. The acting user is the token's; the engine checks roles and
/// four-eyes exactly as on the command line.
struct AdminRoutes {
    let state: ServerState

    struct Decision: Codable, Sendable {
        var reason: String?
    }

    struct Outcome: Codable, Sendable {
        var tag: String
        var action: String
        var state: String
        var version: String?
        var detail: String?
    }

    struct Pending: Codable, Sendable {
        var tag: String
        var state: String
        var version: String
        var proposedBy: String?
        var liveVersion: String?
        var diff: String
    }

    func register(on router: Router<TagRequestContext>) {
        for action in ["approve", "reject", "retire", "restore"] {
            router.post("v1/tags/:name/\(action)") { request, context in try await decide(action, request, context) }
        }
        router.get("v1/tags/:name/plan") { request, context in try await plan(request, context) }
        router.get("v1/pending") { _, context in try await pending(context) }
        router.get("v1/review") { _, context in try await review(context) }
        router.get("v1/audit") { request, context in try await audit(request, context) }
    }

    func decide(_ action: String, _ request: Request, _ context: TagRequestContext) async throws -> JSONResponse<Outcome> {
        let needed: Role = action == "approve" || action == "reject" ? .approver : .admin
        let user = try await context.require(needed, for: action, state: state)
        let name = try context.parameters.require("name")
        let (bytes, _) = try await RequestBody.collect(request, upTo: 1 << 20)
        var reason: String?
        if bytes.readableBytes > 0, !String(buffer: bytes).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do {
                reason = try JSONDecoder().decode(Decision.self, from: Data(String(buffer: bytes).utf8)).reason
            } catch {
                throw APIError.badRequest("body must be a JSON object such as {\"reason\": \"...\"}")
            }
        }
        let outcome = try await state.ruleWork { [reason] () throws -> Outcome in
            let registry = state.registry
            var version: String?
            var detail: String?
            switch action {
            case "approve":
                let files = try state.sync()
                guard files.contains(where: { $0.name == name }) else {
                    _ = try registry.history(name: name)  // 404 when the tag is unknown
                    throw LifecycleError("no rule file declares \"\(name)\"; approval binds to a file's current content")
                }
                version = try registry.approve(name: name, actor: user.name, files: files, reason: reason).shortHash
            case "reject":
                try state.sync()
                version = try registry.reject(name: name, actor: user.name, reason: reason ?? "").shortHash
            case "retire":
                detail = "\(try registry.retire(name: name, actor: user.name, reason: reason ?? "")) live values moved to history"
            default:
                try registry.restore(name: name, actor: user.name, reason: reason)
            }
            try state.realtime.reloadIfNeeded(at: state.configuration.clock())
            return Outcome(tag: name, action: action, state: try registry.history(name: name).state, version: version, detail: detail)
        }
        return JSONResponse(outcome)
    }

    func plan(_ request: Request, _ context: TagRequestContext) async throws -> JSONResponse<PlanReport> {
        _ = try await context.require(.operator, for: "plan", state: state)
        let name = try context.parameters.require("name")
        let asOf = request.uri.queryParameters.get("as_of", as: Int64.self).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        return JSONResponse(try await state.ruleWork {
            let files = try state.sync()
            guard let file = files.first(where: { $0.name == name }) else { throw APIError.notFound("no rule file declares \(name)") }
            guard (try? file.outcome.get())?.isIdentity != true else {
                throw APIError.conflict("\(file.path) holds the identity rules, not a tag: preview them with `tagd identity plan`")
            }
            return try TagRunner(pool: state.pool, limits: state.configuration.limits, pluginsDirectory: state.configuration.pluginsDirectory)
                .plan(source: file.source, file: file.path, tagName: name, asOf: asOf ?? state.configuration.clock(), modules: file.modules)
        })
    }

    func pending(_ context: TagRequestContext) async throws -> JSONResponse<[Pending]> {
        _ = try await context.require(.operator, for: "pending", state: state)
        return JSONResponse(try await state.ruleWork {
            try state.sync()
            return try state.registry.pending().map { p in
                Pending(
                    tag: p.tag.name, state: p.tag.state.rawValue, version: p.version.shortHash, proposedBy: p.version.proposedBy,
                    liveVersion: p.live?.shortHash,
                    diff: LineDiff.unified(
                        old: p.live?.source ?? "", new: p.version.source, oldName: p.live?.shortHash ?? "/dev/null",
                        newName: p.version.shortHash))
            }
        })
    }

    func review(_ context: TagRequestContext) async throws -> JSONResponse<[ReviewCandidate]> {
        _ = try await context.require(.operator, for: "review", state: state)
        return JSONResponse(try await state.blocking {
            let review = CullingReview(pool: state.pool)
            return try review.candidates(try review.defaultOptions(now: state.configuration.clock()))
        })
    }

    func audit(_ request: Request, _ context: TagRequestContext) async throws -> JSONResponse<[AuditEntry]> {
        _ = try await context.require(.approver, for: "audit", state: state)
        let tag = request.uri.queryParameters.get("tag")
        return JSONResponse(try await state.blocking {
            try? state.denials.flush(into: state.pool)  // refusals counted but not yet written
            return try state.pool.read { db in try AuditLog.entries(tag: tag, in: db) }
        })
    }
}
