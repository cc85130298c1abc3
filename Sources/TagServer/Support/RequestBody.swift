import Foundation
import Hummingbird
import MemberStore
import NIOCore

/// Reads an ingest body: one JSON object, a JSON array of objects, or NDJSON
/// (one object per line).
enum RequestBody {
    static func objects(_ request: Request, context: TagRequestContext) async throws -> [[String: JSONValue]] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(status: .contentTooLarge, message: "request body larger than \(context.maxUploadSize >> 20) MiB")
        }
        let text = String(buffer: buffer)
        let isNDJSON = request.headers[.contentType]?.contains("ndjson") == true
        // One object or an array, even pretty-printed; otherwise one object per line.
        if !isNDJSON, let value = try? JSONValue(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            switch value {
            case .object(let object): return [object]
            case .array(let items):
                return try items.enumerated().map { index, item in
                    guard case .object(let object) = item else {
                        throw APIError.badRequest("item \(index) is not a JSON object", errors: [.init(index: index, field: "", reason: "not an object")])
                    }
                    return object
                }
            default: throw APIError.badRequest("body must be a JSON object, an array of objects, or NDJSON")
            }
        }
        if !isNDJSON, text.trimmingCharacters(in: .whitespacesAndNewlines).first == "[" {
            throw APIError.badRequest("body is not valid JSON")
        }
        var objects: [[String: JSONValue]] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmedLine = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmedLine.isEmpty { continue }
            guard case .object(let object) = try? JSONValue(parsing: trimmedLine) else {
                throw APIError.badRequest(
                    "line \(offset + 1) is not a JSON object", errors: [.init(line: offset + 1, field: "", reason: "not a JSON object")])
            }
            objects.append(object)
        }
        return objects
    }
}
