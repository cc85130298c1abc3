import Foundation
import LuaHost
import TagEngine

/// How `tagd serve` runs.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String
    /// Port to bind (0 picks a free one; see ``TagServer/run(onListening:)``).
    public var port: Int
    /// The store file.
    public var storePath: String
    /// The rules directory the watcher follows.
    public var rulesDirectory: URL
    /// The plugins directory.
    public var pluginsDirectory: URL
    /// Caps for every rule call.
    public var limits: LuaLimits
    /// How often the scheduler looks for due tags.
    public var schedulerTick: Duration
    /// How often the watcher polls the rules and plugins directories.
    public var watchInterval: Duration
    /// Where file messages of reach plugins are written.
    public var exportsDirectory: URL
    /// How outbox deliveries back off.
    public var retryPolicy: RetryPolicy
    /// How often the outbox looks for due messages.
    public var deliveryInterval: Duration
    /// The scheduler's clock (tests inject one).
    public var clock: @Sendable () -> Date
    /// How long a connection may go without sending a complete request head
    /// (idle keep-alive, nothing sent, headers trickled) before it is closed.
    public var idleTimeout: Duration
    /// How long a request's body may take to arrive, from its head to its
    /// last byte, before the connection is closed (a body trickled a byte at
    /// a time never ends).
    public var bodyTimeout: Duration
    /// How often refused requests are written to the audit log, one entry
    /// per kind of refusal with its count (see ``DenialLog``).
    public var denialFlushInterval: Duration

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, storePath: String = "tagd.sqlite",
        rulesDirectory: URL = URL(fileURLWithPath: "rules"), pluginsDirectory: URL = URL(fileURLWithPath: "plugins"),
        limits: LuaLimits = .default, schedulerTick: Duration = .seconds(5),
        watchInterval: Duration = .seconds(2), exportsDirectory: URL = URL(fileURLWithPath: "exports"),
        retryPolicy: RetryPolicy = RetryPolicy(), deliveryInterval: Duration = .seconds(1),
        clock: @escaping @Sendable () -> Date = { Date() },
        idleTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(120),
        denialFlushInterval: Duration = .seconds(10)
    ) {
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.denialFlushInterval = denialFlushInterval
        self.exportsDirectory = exportsDirectory
        self.retryPolicy = retryPolicy
        self.deliveryInterval = deliveryInterval
        self.host = host
        self.port = port
        self.storePath = storePath
        self.rulesDirectory = rulesDirectory
        self.pluginsDirectory = pluginsDirectory
        self.limits = limits
        self.schedulerTick = schedulerTick
        self.watchInterval = watchInterval
        self.clock = clock
    }
}
