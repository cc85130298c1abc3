import NIOCore
import NIOPosix

/// Runs blocking work (SQLite, Lua) off the event loops and the cooperative pool.
///
/// Store work (reads, health, plain writes) and rule work (anything that runs
/// rule or plugin code: realtime ingest, plan, pending, approvals, the
/// watcher's scans) run on separate thread pools, so a rule that spends its
/// whole wall-time limit never delays `/healthz` or a member read.
enum Blocking {
    /// The pool for rule and plugin code.
    private static let rulePool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(4, System.coreCount * 2))
        pool.start()
        return pool
    }()

    /// Runs store work on NIO's shared blocking pool.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// Runs work that calls into rule or plugin code on the rule pool.
    static func runRules<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await rulePool.runIfActive(body)
    }
}
