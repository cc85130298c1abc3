import Foundation
import GRDB
import MemberStore
import TagEngine

/// What every route and service of one server shares.
public final class ServerState: Sendable {
    /// The configuration.
    public let configuration: ServerConfiguration
    /// The store.
    public let store: MemberStore
    /// Realtime tag evaluation.
    public let realtime: RealtimeEngine
    /// Metrics.
    public let metrics: ServerMetrics
    /// Tag reads through the API, flushed by ``StoreMaintenance``.
    public let reads = TagReadCounter()
    /// Refused requests, audited in batches by ``StoreMaintenance``.
    public let denials = DenialLog()
    /// The approved identity rules ingest resolves by.
    public let identityPolicy: IdentityPolicyCache
    /// A connection of its own for WAL checkpoints, so that checkpointing
    /// never waits in (or holds up) the pool's writer queue.
    let checkpointer: DatabaseQueue

    /// Opens the store and prepares the engines.
    public init(configuration: ServerConfiguration) throws {
        self.configuration = configuration
        // Map up to 2 GiB of the file: request reads skip the copy through the kernel.
        store = try MemberStore(path: configuration.storePath, mmapBytes: 2 << 30)
        realtime = RealtimeEngine(
            pool: store.pool, limits: configuration.limits, pluginsDirectory: configuration.pluginsDirectory)
        metrics = ServerMetrics()
        identityPolicy = IdentityPolicyCache(pool: store.pool, limits: configuration.limits)
        var checkpointing = Configuration()
        checkpointing.busyMode = .timeout(5)
        checkpointer = try DatabaseQueue(path: configuration.storePath, configuration: checkpointing)
        // Checkpoints happen in the background (StoreMaintenance), not in requests.
        try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    var pool: DatabasePool { store.pool }
    var registry: TagRegistry { TagRegistry(pool: store.pool) }
    var catalog: RuleCatalog {
        RuleCatalog(
            directory: configuration.rulesDirectory, pluginsDirectory: configuration.pluginsDirectory,
            limits: configuration.limits)
    }

    /// Scans the rules directory into proposals, orphan flags and file errors.
    @discardableResult
    func sync(actor: String = "rules-dir") throws -> [RuleFile] {
        let files = try catalog.scan()
        try registry.sync(files, actor: actor)
        return files
    }

    /// Runs `body` on a thread of the blocking pool (SQLite blocks).
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Blocking.run(body)
    }

    /// Runs `body`, which calls into rule or plugin code, on the rule pool
    /// (so a slow rule never holds up store reads and `/healthz`).
    func ruleWork<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Blocking.runRules(body)
    }
}
