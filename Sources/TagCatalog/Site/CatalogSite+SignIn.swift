import Foundation
import Hummingbird
import TagEngine

extension CatalogSite {
    /// The cookie that binds the sign-in form to the browser that loaded it
    /// (a double-submit token: there is no session yet to hold one).
    static let signInCookie = "tagd_sign_in"

    /// `GET /sign-in`.
    func signInForm(_ request: Request, notice: String?, status: HTTPResponse.Status = .ok) -> Response {
        let token = WebSessions.randomToken()
        let ended = request.uri.queryParameters.get("ended").map { "Your session ended (\($0)); sign in again." }
        struct Model {
            var csrf: String
            var next: String
            var notice: String?
            var hours: Int64
        }
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        let body = renderer.page(
            SignInTemplate.name, Model(csrf: token, next: next, notice: notice ?? ended, hours: environment.sessionLifetime / 3_600),
            title: "Sign in", viewer: nil)
        var response = html(body, status: status)
        response.setCookie(Cookie(name: Self.signInCookie, value: token, maxAge: 900, path: "/sign-in", httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only a local path (`/...`, not `//host`) is a place to go back to.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    /// `POST /sign-in`: exchanges the token for a session cookie.
    func signIn<Context: CatalogRequestContext>(_ request: Request, _ context: Context) async -> Response {
        do {
            let form = try await Self.form(request)
            guard let sent = form["csrf"], let expected = request.cookies[Self.signInCookie]?.value,
                Hashing.equal(sent, expected)
            else {
                let reason = form["csrf"] == nil ? "missing CSRF token" : "forged CSRF token"
                environment.denied(
                    CatalogDenial(actor: "anonymous", reason: "sign-in: \(reason)", route: "POST /sign-in", client: context.client, status: 403))
                return signInForm(request, notice: "The sign-in form expired or was not loaded from this server; try again.", status: .forbidden)
            }
            let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let lifetime = environment.sessionLifetime
            let now = now
            guard let created = try await blocking({ try sessions.create(token: token, lifetime: lifetime, now: now) }) else {
                environment.denied(
                    CatalogDenial(
                        actor: "anonymous", reason: "sign-in: unknown, revoked or expired token", route: "POST /sign-in",
                        client: context.client, status: 401))
                return signInForm(
                    request, notice: "That token is unknown, revoked or expired (tagd token list shows yours).", status: .unauthorized)
            }
            let cookie = Cookie(
                name: WebSessions.cookieName, value: created.id, maxAge: Int(created.session.expiresAt - now), path: "/", httpOnly: true,
                sameSite: .strict)
            return redirect(Self.safeNext(form["next"]), cookie: cookie)
        } catch {
            return errorPage(error, session: nil)
        }
    }

    /// `POST /sign-out`: ends the session (the form carries its CSRF token).
    func signOut<Context: CatalogRequestContext>(_ request: Request, _ context: Context) async -> Response {
        await action(request, context, route: "POST /sign-out", needs: .operator) { session, _ in
            if let id = request.cookies[WebSessions.cookieName]?.value {
                try await blocking { try sessions.end(id, actor: session.user.name) }
            }
            return redirect("/sign-in", cookie: Cookie(name: WebSessions.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        }
    }
}
