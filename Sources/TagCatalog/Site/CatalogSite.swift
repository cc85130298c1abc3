import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import TagEngine

/// The tag catalog: server-rendered HTML pages for operators and approvers,
/// mounted at `/` next to the JSON API.
///
/// Pages: `/` (search and category tree), `/tags/{name}` (tag or segment),
/// `/members/{id}`, `/approvals` (with the decision forms), `/sign-in`.
/// Every page needs a session (an API token exchanged for an HttpOnly,
/// SameSite=Strict cookie); every form carries the session's CSRF token;
/// every answer has a strict Content-Security-Policy. Templates, stylesheet
/// and script are compiled into the binary.
///
/// ## Topics
/// - ``init(environment:)``
/// - ``register(on:)``
/// - ``warmUp()``
public struct CatalogSite: Sendable {
    let environment: CatalogEnvironment
    let renderer: PageRenderer
    let overlaps: TagOverlaps
    let trends: RunTrends
    let counts: LiveCounts
    let logger = Logger(label: "tagd.catalog")

    /// Prepares the pages (parses every template).
    public init(environment: CatalogEnvironment) throws {
        self.environment = environment
        renderer = try PageRenderer()
        overlaps = TagOverlaps(pool: environment.store.pool)
        trends = RunTrends(pool: environment.store.pool)
        counts = LiveCounts(pool: environment.store.pool)
    }

    var pool: DatabasePool { environment.store.pool }
    var sessions: WebSessions { WebSessions(pool: pool) }
    var registry: TagRegistry { TagRegistry(pool: pool) }
    var now: Int64 { Int64(environment.clock().timeIntervalSince1970) }

    /// Computes the tag-overlap matrix, every tag's trend and value counts in the
    /// background, so that the first pages after a start find them.
    public func warmUp() {
        overlaps.warmUp()
        trends.warmUp()
        counts.warmUp()
    }

    /// Adds the catalog's routes to `router`.
    public func register<Context: CatalogRequestContext>(on router: Router<Context>) {
        router.get("/") { request, context in await page(request, context) { try await home(request, $0) } }
        router.get("assets/catalog.css") { _, _ in asset(CatalogStyle.css, type: "text/css; charset=utf-8") }
        router.get("assets/catalog.js") { _, _ in asset(CatalogScript.js, type: "text/javascript; charset=utf-8") }
        router.get("sign-in") { request, _ in signInForm(request, notice: nil) }
        router.post("sign-in") { request, context in await signIn(request, context) }
        router.post("sign-out") { request, context in await signOut(request, context) }
        router.get("tags/:name") { request, context in
            await page(request, context) { try await tag(try context.parameters.require("name"), $0) }
        }
        router.get("members/:id") { request, context in
            await page(request, context) { session in
                let raw = try context.parameters.require("id")
                return try await member(raw.removingPercentEncoding ?? raw, session)
            }
        }
        router.get("segments/:name/export.csv") { request, context in
            await page(request, context) { _ in try await export(try context.parameters.require("name")) }
        }
        router.get("approvals") { request, context in await page(request, context) { try await approvals(request, $0) } }
        router.get("approvals/:name/plan") { request, context in
            await page(request, context) { try await plan(try context.parameters.require("name"), $0) }
        }
        router.post("approvals/:name/decide") { request, context in
            await action(request, context, route: "POST /approvals/{name}/decide", needs: .approver) { session, form in
                try await decide(try context.parameters.require("name"), form: form, session)
            }
        }
    }

    /// Runs `body` off the event loop (SQLite and Lua block).
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
