import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TagEngine

extension CatalogSite {
    /// Scripts, styles and images only from this server, no inline code, no
    /// framing, forms only to this server.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The headers every catalog answer carries.
    static func securityHeaders(type: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = "no-store"
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "same-origin" }
        if let frames = HTTPField.Name("X-Frame-Options") { headers[frames] = "DENY" }
        return headers
    }

    /// An HTML page.
    func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: Self.securityHeaders(type: "text/html; charset=utf-8"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A stylesheet or script compiled into the binary.
    func asset(_ text: String, type: String) -> Response {
        var headers = Self.securityHeaders(type: type)
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A 303 to `location` (a path on this server).
    func redirect(_ location: String, cookie: Cookie? = nil) -> Response {
        var headers = Self.securityHeaders(type: "text/html; charset=utf-8")
        headers[.location] = location
        var response = Response(status: .seeOther, headers: headers)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// The header's view of a session, with the number of waiting proposals
    /// (reads the store: call it off the event loop).
    func viewer(_ session: WebSession) -> ViewerModel {
        let pending = (try? pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT v.tag_id) FROM tag_versions v JOIN tags t ON t.id = v.tag_id
                WHERE v.state = 'proposed' AND t.state <> 'retired'
                """) ?? 0
        }) ?? 0
        return ViewerModel(name: session.user.name, role: session.user.role.rawValue, csrf: session.csrf, pending: pending)
    }

    /// The session of `request`'s cookie.
    func lookup(_ request: Request) async throws -> SessionLookup {
        let id = request.cookies[WebSessions.cookieName]?.value
        let now = now
        return try await blocking { try sessions.lookup(id, now: now) }
    }

    /// A page that needs a signed-in user: without a session, the sign-in
    /// form (which comes back here); errors become error pages.
    func page<Context: CatalogRequestContext>(
        _ request: Request, _ context: Context, _ body: @escaping (WebSession) async throws -> Response
    ) async -> Response {
        let session: WebSession
        do {
            switch try await lookup(request) {
            case .valid(let valid): session = valid
            case .ended(_, let why):
                return redirect("/sign-in?next=\(Self.next(request))&ended=\(why.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            case .none: return redirect("/sign-in?next=\(Self.next(request))")
            }
        } catch {
            return errorPage(error, session: nil)
        }
        do {
            return try await body(session)
        } catch {
            return errorPage(error, session: session)
        }
    }

    /// A form submission that changes something: refused (audited, nothing
    /// changes) without a live session, without the session's CSRF token, or
    /// below `role`.
    func action<Context: CatalogRequestContext>(
        _ request: Request, _ context: Context, route: String, needs role: Role,
        _ body: @escaping (WebSession, FormFields) async throws -> Response
    ) async -> Response {
        let form: FormFields
        do {
            form = try await Self.form(request)
        } catch {
            return errorPage(error, session: nil)
        }
        let session: WebSession
        do {
            switch try await lookup(request) {
            case .valid(let valid): session = valid
            case .ended(let user, let why):
                return refuse(
                    CatalogDenial(actor: user, reason: why, route: route, client: context.client, status: 401),
                    message: "Your session ended (\(why)). Sign in again; nothing was changed.", session: nil)
            case .none:
                return refuse(
                    CatalogDenial(actor: "anonymous", reason: "no session", route: route, client: context.client, status: 401),
                    message: "You are not signed in. Sign in first; nothing was changed.", session: nil)
            }
        } catch {
            return errorPage(error, session: nil)
        }
        guard let csrf = form["csrf"], Hashing.equal(csrf, session.csrf) else {
            let reason = form["csrf"] == nil ? "missing CSRF token" : "forged CSRF token"
            return refuse(
                CatalogDenial(actor: session.user.name, reason: reason, route: route, client: context.client, status: 403),
                message: "The form did not carry this session's security token (\(reason)). Nothing was changed; reload the page and try again.",
                session: session)
        }
        guard session.user.role >= role else {
            let reason = "user '\(session.user.name)' is \(session.user.role.rawValue); this needs \(role.rawValue)"
            return refuse(
                CatalogDenial(actor: session.user.name, reason: reason, route: route, client: context.client, status: 403),
                message: "Not allowed: \(reason). Nothing was changed.", session: session)
        }
        do {
            return try await body(session, form)
        } catch {
            return errorPage(error, session: session)
        }
    }

    /// Counts the refusal (audited by the server) and answers its page.
    func refuse(_ denial: CatalogDenial, message: String, session: WebSession?) -> Response {
        environment.denied(denial)
        let status: HTTPResponse.Status = denial.status == 401 ? .unauthorized : .forbidden
        return errorPage(CatalogError(status: status, title: "Refused", message: message), session: session)
    }

    /// An error as a page with a search box.
    func errorPage(_ error: any Error, session: WebSession?) -> Response {
        let failure: CatalogError
        switch error {
        case let error as CatalogError: failure = error
        case let error as LifecycleError where error.kind == .notFound: failure = .notFound(error.message)
        case let error as LifecycleError: failure = .conflict(error.message + " Nothing was changed.")
        case let error as PermissionError: failure = .forbidden(error.description + " Nothing was changed.")
        default:
            logger.error("catalog page failed: \(error)")
            failure = CatalogError(status: .internalServerError, title: "Something went wrong", message: "\(error)")
        }
        struct Model {
            var heading: String
            var message: String
            var signIn: Bool
        }
        let body = renderer.page(
            ErrorTemplate.name, Model(heading: failure.title, message: failure.message, signIn: session == nil), title: failure.title,
            viewer: session.map { ViewerModel(name: $0.user.name, role: $0.user.role.rawValue, csrf: $0.csrf, pending: 0) })
        return html(body, status: failure.status)
    }

    /// The path and query of `request`, percent-encoded, to come back to after signing in.
    static func next(_ request: Request) -> String {
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
    }

    /// The form fields of a request body (at most 64 KiB).
    static func form(_ request: Request) async throws -> FormFields {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 64 << 10)
        } catch {
            throw CatalogError.badRequest("the form is larger than 64 KiB")
        }
        return FormFields(String(buffer: buffer))
    }
}
