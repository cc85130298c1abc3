import Hummingbird
import Logging
import TagEngine

/// Turns every error into a JSON answer `{"error": "..."}`: an unknown name
/// is 404, an illegal lifecycle step 409, an incomplete request 400, a
/// refused role 403; Hummingbird's and NIO's own HTTP errors (no route, body
/// too large) keep their status but get the same JSON body; anything else is
/// logged and answered 500 with its message.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = TagRequestContext
    let metrics: ServerMetrics
    let logger = Logger(label: "tagd.http")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(status: error.status, message: error.body ?? error.status.reasonPhrase, headers: error.headers)
        } catch let error as any HTTPResponseError {
            throw APIError(status: error.status, message: error.status.reasonPhrase)
        } catch let error as LifecycleError {
            switch error.kind {
            case .notFound: throw APIError.notFound(error.message)
            case .invalid: throw APIError.badRequest(error.message)
            case .illegal: throw APIError.conflict(error.message)
            }
        } catch let error as PermissionError {
            metrics.denied(status: 403)
            throw APIError(status: .forbidden, message: error.description)
        } catch {
            logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            throw APIError(status: .internalServerError, message: "\(error)")
        }
    }
}
