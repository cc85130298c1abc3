/// How the outbox retries a failed delivery: exponential backoff from
/// ``base`` seconds, capped at ``cap``, until ``maxAttempts`` make it dead.
public struct RetryPolicy: Sendable {
    /// Seconds to wait after the first failure; each further failure doubles it.
    public var base: Double
    /// The longest wait between attempts, in seconds.
    public var cap: Double
    /// Attempts after which an entry is dead.
    public var maxAttempts: Int
    /// How long one webhook request may take, connecting included.
    public var requestTimeout: Duration

    /// Creates a policy (defaults: 2 s doubling up to 1 h, 10 attempts, 10 s per request).
    public init(base: Double = 2, cap: Double = 3_600, maxAttempts: Int = 10, requestTimeout: Duration = .seconds(10)) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
        self.requestTimeout = requestTimeout
    }

    /// Seconds to wait after the `attempts`-th failure.
    public func delay(after attempts: Int) -> Double {
        min(cap, base * Double(1 << min(attempts - 1, 30)))
    }
}
