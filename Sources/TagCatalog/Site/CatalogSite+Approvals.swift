import Foundation
import Hummingbird
import TagEngine

extension CatalogSite {
    /// `/approvals`: every waiting proposal with its diff, as the store has
    /// them (the server's watcher syncs the rules directory every few
    /// seconds; a decision syncs first and refuses a version the file no
    /// longer has).
    func approvals(_ request: Request, _ session: WebSession) async throws -> Response {
        let done = request.uri.queryParameters.get("done")
        let body = try await blocking { () throws -> String in
            let pending = try registry.pending()
            let model = ApprovalsView.build(pending, session: session, notice: done.flatMap(Self.notice))
            return renderer.page(ApprovalsTemplate.name, model, title: "Approvals", viewer: viewer(session))
        }
        return html(body)
    }

    /// The notice after a decision, from the redirect's `done=approved:name:hash`
    /// (only a known action and a well-formed name and hash are shown).
    static func notice(_ done: String) -> String? {
        let parts = done.split(separator: ":").map(String.init)
        guard parts.count == 3, ["approved", "rejected"].contains(parts[0]), RuleDSL.isValidName(parts[1]),
            parts[2].allSatisfy(\.isHexDigit)
        else { return nil }
        return "\(parts[1]): version \(parts[2]) \(parts[0])."
    }

    /// `/approvals/{name}/plan`: what approving the file's current version would do.
    func plan(_ name: String, _ session: WebSession) async throws -> Response {
        let body = try await blocking { () throws -> String in
            let files = try environment.sync()
            guard let file = files.first(where: { $0.name == name }) else {
                throw CatalogError.notFound("No rule file declares “\(name)”.")
            }
            let report = try environment.plan(file)
            struct Model {
                var tag, hash, asOf, seconds, covered, members, share, gained, lost, changed, distribution: String
            }
            let model = Model(
                tag: report.tag, hash: String(report.hash.prefix(12)), asOf: Formatting.time(report.asOf),
                seconds: String(format: "%.2f", report.seconds), covered: HTMLText.count(report.covered),
                members: HTMLText.count(report.members), share: HTMLText.percent(report.coverage), gained: HTMLText.count(report.gained),
                lost: HTMLText.count(report.lost), changed: HTMLText.count(report.changed),
                distribution: BarChart(
                    bars: report.distribution.prefix(20).map { ($0.value, $0.count) }, title: "members per value if approved"
                ).svg())
            return renderer.page(PlanTemplate.name, model, title: "Plan of \(name)", viewer: viewer(session))
        }
        return html(body)
    }

    /// `POST /approvals/{name}/decide`: approve or reject exactly the version
    /// the page showed (`version`, a full SHA-256). If the file changed since,
    /// nothing is decided and the page says so.
    func decide(_ name: String, form: FormFields, _ session: WebSession) async throws -> Response {
        guard let shown = form["version"], !shown.isEmpty else { throw CatalogError.badRequest("the form names no version") }
        let action = form["action"] ?? ""
        let reason = form["reason"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let actor = session.user.name
        let decided = try await blocking { () throws -> String in
            let files = try environment.sync()
            switch action {
            case "approve":
                guard let file = files.first(where: { $0.name == name }) else {
                    throw CatalogError.conflict("No rule file declares “\(name)” any more; nothing was approved.")
                }
                guard file.hash == shown else {
                    throw CatalogError.conflict(
                        "The rule file changed since the page showed version \(shown.prefix(12)): it is now \(file.hash.prefix(12)). "
                            + "Nothing was approved; review the new version.")
                }
                let version = try registry.approve(name: name, actor: actor, files: [file], reason: reason)
                try environment.decided()
                return "approved:\(name):\(version.shortHash)"
            case "reject":
                guard let waiting = try registry.pending().first(where: { $0.tag.name == name }) else {
                    throw CatalogError.conflict("“\(name)” has no proposal waiting; nothing was rejected.")
                }
                guard waiting.version.hash == shown else {
                    throw CatalogError.conflict(
                        "The waiting proposal is now version \(waiting.version.shortHash), not \(shown.prefix(12)) as shown. "
                            + "Nothing was rejected; review the new version.")
                }
                guard let reason else { throw CatalogError.badRequest("Rejecting needs a reason; nothing was rejected.") }
                let version = try registry.reject(name: name, actor: actor, reason: reason)
                try environment.decided()
                return "rejected:\(name):\(version.shortHash)"
            default:
                throw CatalogError.badRequest("unknown action “\(action)” (approve or reject)")
            }
        }
        return redirect("/approvals?done=\(decided)")
    }
}
