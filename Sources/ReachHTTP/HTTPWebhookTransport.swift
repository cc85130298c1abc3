import AsyncHTTPClient
import NIOCore
import TagEngine

/// The outbox's webhook transport over AsyncHTTPClient: one POST per
/// message, the response body read (up to 1 MiB) and dropped.
public struct HTTPWebhookTransport: WebhookTransport {
    /// The client requests go through (`HTTPClient.shared` by default).
    public let client: HTTPClient

    /// Creates a transport over `client`.
    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// POSTs `body` to `url`; see ``WebhookTransport/post(url:headers:body:timeout:)``.
    public func post(url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let (seconds, attoseconds) = timeout.components
        let response = try await client.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
