import LuaHost

/// A message a hook emitted: where it goes and what it carries.
///
/// - `{ to = "webhook", url = "https://...", body = {...}, headers = {...} }`:
///   the host POSTs `body` as JSON with an `Idempotency-Key` header.
/// - `{ to = "file", path = "sms/2026-11-25.csv", line = "..." }`: the host
///   appends `line` to that file under the exports directory.
struct OutboxMessage: Sendable {
    enum Channel: String, Sendable { case webhook, file }

    var channel: Channel
    var payload: LuaValue

    /// Validates what `outbox.emit` received.
    init(emitted value: LuaValue) throws(LuaHostError) {
        guard case .table = value, let to = value["to"].stringValue else {
            throw LuaHostError("outbox.emit: expected { to = \"webhook\" | \"file\", ... }")
        }
        switch Channel(rawValue: to) {
        case .webhook:
            guard let url = value["url"].stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw LuaHostError("outbox.emit: a webhook message needs url = \"http(s)://...\"")
            }
            channel = .webhook
        case .file:
            guard let path = value["path"].stringValue, ExportPath.isSafe(path) else {
                throw LuaHostError("outbox.emit: a file message needs a relative path without '..' (got \(value["path"]))")
            }
            guard let line = value["line"].stringValue else { throw LuaHostError("outbox.emit: a file message needs line = \"text\"") }
            guard !line.contains(where: \.isNewline) else {
                throw LuaHostError("outbox.emit: a file message's line must not contain line breaks (emit one message per line)")
            }
            channel = .file
        case nil:
            throw LuaHostError("outbox.emit: unknown destination '\(to)' (webhook or file)")
        }
        payload = value
    }
}

/// Paths plugins may write to, relative to the exports directory.
enum ExportPath {
    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..") && !path.contains("\0")
    }
}
