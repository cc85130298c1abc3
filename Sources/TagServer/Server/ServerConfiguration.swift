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

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, storePath: String = "tagd.sqlite",
        rulesDirectory: URL = URL(fileURLWithPath: "rules"), pluginsDirectory: URL = URL(fileURLWithPath: "plugins"),
        limits: LuaLimits = .default, schedulerTick: Duration = .seconds(5),
        watchInterval: Duration = .seconds(2), exportsDirectory: URL = URL(fileURLWithPath: "exports"),
        retryPolicy: RetryPolicy = RetryPolicy(), deliveryInterval: Duration = .seconds(1),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
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
