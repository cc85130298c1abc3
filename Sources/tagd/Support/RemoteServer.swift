import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A tagd server the CLI acts through when `TAGD_URL` is set (like `kubectl`
/// or `vault`): lifecycle decisions go to the server's API with the bearer
/// token in `TAGD_TOKEN`, so the server, not the command line, establishes
/// who acts, and the operator needs no access to the store file.
struct RemoteServer {
    /// The server's base URL, such as `http://tagd.internal:8080`.
    let base: String
    /// The bearer token.
    let token: String

    /// The server named by `TAGD_URL`, or `nil` when it is not set.
    static func fromEnvironment() throws -> RemoteServer? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["TAGD_URL"], !url.isEmpty else { return nil }
        guard let token = environment["TAGD_TOKEN"], !token.isEmpty else {
            throw CLIError("TAGD_URL is set: also set TAGD_TOKEN to your API token (tagd token create)")
        }
        return RemoteServer(base: url.hasSuffix("/") ? String(url.dropLast()) : url, token: token)
    }

    /// Who the token is: `GET /v1/me`.
    func whoami() async throws -> String {
        let body = try await send(.GET, "/v1/me", json: nil)
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any], let name = object["name"] as? String
        else { throw CLIError("\(base)/v1/me: unexpected answer") }
        return name
    }

    /// Checks a `--as` claim against the token's user before acting.
    func check(claimed: String?) async throws {
        guard let claimed else { return }
        let actual = try await whoami()
        guard actual == claimed else {
            throw CLIError("--as \(claimed) does not match who you are: the token in TAGD_TOKEN is tagd user '\(actual)'")
        }
    }

    /// `POST path` with `{"reason": ...}`; returns the answer's JSON object.
    func post(_ path: String, reason: String?) async throws -> [String: Any] {
        let payload: [String: String] = reason.map { ["reason": $0] } ?? [:]
        let body = try await send(.POST, path, json: try JSONSerialization.data(withJSONObject: payload))
        return (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }

    private func send(_ method: HTTPMethod, _ path: String, json: Data?) async throws -> Data {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        } catch {
            throw CLIError("cannot reach the tagd server at \(base) (TAGD_URL): \(error)")
        }
        let buffer = try await response.body.collect(upTo: 16 << 20)
        let data = Data(buffer.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            let message = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["error"] as? String
            throw CLIError("\(base)\(path): \(response.status.code) \(message ?? String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

extension RemoteServer {
    /// Sends lifecycle `action` on tag `name` to the server named by
    /// `TAGD_URL` and prints the outcome; `false` when no server is set (the
    /// command then acts on the local store).
    static func decide(_ action: String, tag name: String, reason: String?, claimed: String?) async throws -> Bool {
        guard let remote = try fromEnvironment() else { return false }
        try await remote.check(claimed: claimed)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
        let outcome = try await remote.post("/v1/tags/\(encoded)/\(action)", reason: reason)
        let version = (outcome["version"] as? String).map { " version \($0)" } ?? ""
        let detail = (outcome["detail"] as? String).map { "; \($0)" } ?? ""
        print("\(action) \(name)\(version) through \(remote.base): now \(outcome["state"] as? String ?? "?")\(detail)")
        return true
    }
}
