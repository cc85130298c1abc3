import Foundation
import Hummingbird
import MemberStore
import NIOCore

/// Reads request bodies: checks the `Content-Type` (415) and the size (413),
/// and splits an ingest body into objects: one JSON object, a JSON array of
/// objects, or NDJSON (one object per line).
enum RequestBody {
    /// How a body is to be read, from its `Content-Type`.
    enum Format: Sendable {
        /// JSON: one document, or NDJSON when it is not one document.
        case json
        /// NDJSON: one object per line.
        case ndjson
    }

    /// Media types read as JSON. `application/x-www-form-urlencoded` is what
    /// `curl -d` sends when no type is given; its body is JSON all the same.
    static let jsonTypes: Set<String> = ["application/json", "application/x-www-form-urlencoded"]
    /// Media types read as NDJSON.
    static let ndjsonTypes: Set<String> = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"]

    /// The format of `request`'s body: no `Content-Type` is JSON; a type
    /// that is neither JSON (`application/json`, `application/*+json`,
    /// form-urlencoded) nor, where `ndjson` allows it, NDJSON gets 415.
    static func format(of request: Request, ndjson: Bool) throws -> Format {
        guard let header = request.headers[.contentType] else { return .json }
        let type = header.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if jsonTypes.contains(type) || (type.hasPrefix("application/") && type.hasSuffix("+json")) { return .json }
        if ndjson, ndjsonTypes.contains(type) { return .ndjson }
        let accepted = ndjson ? "application/json or application/x-ndjson" : "application/json"
        throw APIError(status: .unsupportedMediaType, message: "unsupported Content-Type \(header): send \(accepted)")
    }

    /// The whole body of `request`, at most `limit` bytes (else 413), after
    /// checking its `Content-Type` (see ``format(of:ndjson:)``).
    static func collect(_ request: Request, upTo limit: Int, ndjson: Bool = false) async throws -> (ByteBuffer, Format) {
        let format = try format(of: request, ndjson: ndjson)
        do {
            return (try await request.body.collect(upTo: limit), format)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(status: .contentTooLarge, message: "request body larger than \(Self.describe(limit))")
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            // The connection went away mid-body (the client, or the body deadline).
            throw APIError.badRequest("request body ended early: \(error)")
        }
    }

    /// `16 MiB`, `1 MiB`, `512 KiB`.
    static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }

    /// The records of an ingest body (at most the context's upload size),
    /// parsed from the raw bytes with the import's strict rules (invalid
    /// UTF-8 is an error naming the line, never replaced; see ``IngestBody``).
    static func objects(_ request: Request, context: TagRequestContext) async throws -> [[String: JSONValue]] {
        let (buffer, format) = try await collect(request, upTo: context.maxUploadSize, ndjson: true)
        let isNDJSON = format == .ndjson
        let parsed = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(IngestBodyError) in try IngestBody.objects(fromUTF8: raw, isNDJSON: isNDJSON) }
        }
        switch parsed {
        case .success(let objects): return objects
        case .failure(let error):
            throw APIError.badRequest(
                error.description, errors: [.init(index: error.index, line: error.line, field: "", reason: error.reason)])
        }
    }
}
