import Foundation
import MemberStore
import TagEngine

/// What the catalog needs from the server it is mounted in: the store, the
/// rules directory, and where refusals and tag reads are counted.
///
/// The closures keep the dependency one-way: the server (which owns the
/// rules watcher, the realtime engine and the denial log) hands them in, and
/// the catalog never imports the server.
public struct CatalogEnvironment: Sendable {
    /// The store.
    public var store: MemberStore
    /// Loads the rule files without writing anything (what the files say now).
    public var scan: @Sendable () throws -> [RuleFile]
    /// Syncs the rules directory into proposals and returns the files (before a decision).
    public var sync: @Sendable () throws -> [RuleFile]
    /// Evaluates a rule file without writing (the plan shown to an approver).
    public var plan: @Sendable (RuleFile) throws -> PlanReport
    /// Called after an approval or rejection (the server reloads realtime rules).
    public var decided: @Sendable () throws -> Void
    /// Counts one refused request (the server audits refusals in batches).
    public var denied: @Sendable (CatalogDenial) -> Void
    /// Counts reads of tags through the catalog (for the culling review).
    public var read: @Sendable ([String]) -> Void
    /// The server's clock.
    public var clock: @Sendable () -> Date
    /// How long a browser session lives at most: 8 hours by default (never
    /// beyond the expiry of the token it was exchanged for).
    public var sessionLifetime: Int64 = 8 * 3_600

    /// Creates an environment.
    public init(
        store: MemberStore, scan: @escaping @Sendable () throws -> [RuleFile], sync: @escaping @Sendable () throws -> [RuleFile],
        plan: @escaping @Sendable (RuleFile) throws -> PlanReport, decided: @escaping @Sendable () throws -> Void,
        denied: @escaping @Sendable (CatalogDenial) -> Void, read: @escaping @Sendable ([String]) -> Void,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.scan = scan
        self.sync = sync
        self.plan = plan
        self.decided = decided
        self.denied = denied
        self.read = read
        self.clock = clock
    }
}

/// A refused catalog request: who, why, where from.
public struct CatalogDenial: Sendable, Hashable {
    /// The user, or `anonymous`.
    public var actor: String
    /// Why it was refused.
    public var reason: String
    /// The method and route, `POST /approvals/{name}/approve`.
    public var route: String
    /// The client's address, when known.
    public var client: String?
    /// The HTTP status answered (401 or 403).
    public var status: Int
}
