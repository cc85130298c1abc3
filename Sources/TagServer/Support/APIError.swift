import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered as JSON: `{"error": "...", "errors": [...]}`.
struct APIError: Error, HTTPResponseError {
    /// A field-level problem of one record in a request.
    struct FieldProblem: Codable, Sendable {
        var index: Int?
        var line: Int?
        var field: String
        var reason: String
    }

    let status: HTTPResponse.Status
    let message: String
    var errors: [FieldProblem] = []
    /// Extra headers of the answer (`Allow`, say).
    var headers: HTTPFields = [:]

    /// An error answered with `status` and `message`.
    init(status: HTTPResponse.Status, message: String, errors: [FieldProblem] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers
    }

    /// The JSON shape of an error.
    struct Body: Encodable {
        let error: String
        let errors: [FieldProblem]?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Body(error: message, errors: errors.isEmpty ? nil : errors))
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ message: String, errors: [FieldProblem] = []) -> APIError {
        APIError(status: .badRequest, message: message, errors: errors)
    }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }
    static func conflict(_ message: String) -> APIError { APIError(status: .conflict, message: message) }
}
