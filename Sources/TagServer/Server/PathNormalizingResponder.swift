import Hummingbird

/// Normalises the request path before the router sees it, so that every
/// spelling of a route is authenticated, audited and answered as that route.
///
/// `//v1/tags`, `/v1//tags`, `/v1/./tags`, `/v1/x/../tags`, `/v1/%74ags` and
/// `/v1/tags/` are all served as `/v1/tags` (not redirected: a redirected
/// `POST` would need the client to send its body again). See
/// ``normalize(_:)`` for the rules.
struct PathNormalizingResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        let raw = request.head.path ?? "/"
        let (path, query) = Self.split(raw)
        let normalized = Self.normalize(path)
        guard normalized != path else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.path = normalized + query
        return try await inner.respond(to: Request(head: head, body: request.body), context: context)
    }

    /// The path and the query (with its `?`, or empty) of a request target.
    static func split(_ target: String) -> (path: String, query: Substring) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), target[mark...])
    }

    /// The normalised form of `path`: percent-encoded unreserved characters
    /// (letters, digits, `-._~`) decoded, empty and `.` segments dropped,
    /// `..` removing the segment before it (never above the root), no
    /// trailing slash. Other percent-escapes, `%2F` included, are left as
    /// they are: an encoded slash is part of a segment (a member id), not a
    /// separator.
    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for raw in decodingUnreserved(path).split(separator: "/", omittingEmptySubsequences: true) {
            switch raw {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(raw)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// `path` with `%XX` escapes of unreserved characters decoded.
    static func decodingUnreserved(_ path: String) -> String {
        guard path.contains("%") else { return path }
        let bytes = Array(path.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                let byte = high << 4 | low
                if isUnreserved(byte) {
                    output.append(byte)
                    index += 3
                    continue
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
        }
    }
}
