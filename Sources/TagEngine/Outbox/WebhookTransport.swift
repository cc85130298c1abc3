/// Sends one webhook request for ``OutboxDelivery``: the engine builds the
/// request and records the outcome, a transport moves the bytes (the
/// `ReachHTTP` module's ``WebhookTransport`` over AsyncHTTPClient), so the
/// engine holds no network code.
public protocol WebhookTransport: Sendable {
    /// POSTs `body` to `url` with `headers` (in order, repeats allowed),
    /// within `timeout`, and returns the response's status code.
    func post(url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration) async throws -> Int
}
