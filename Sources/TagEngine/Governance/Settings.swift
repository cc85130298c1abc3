import Foundation
import GRDB

/// Store-wide settings. Every change is audited.
public struct Settings: Sendable {
    /// A known setting with its default.
    public enum Key: String, Sendable, CaseIterable {
        /// `on` (default): nobody approves a version they proposed or own.
        case fourEyes = "four_eyes"
        /// Runs looked at by the culling review (default 3).
        case reviewRuns = "review_runs"
        /// Days without a read before the review flags a tag (default 30).
        case reviewUnreadDays = "review_unread_days"
        /// Wall-clock seconds one rule's run may take before it is cancelled (default 3600).
        case runTimeLimit = "run_time_limit"

        /// The value when never set.
        public var defaultValue: String {
            switch self {
            case .fourEyes: "on"
            case .reviewRuns: "3"
            case .reviewUnreadDays: "30"
            case .runTimeLimit: "3600"
            }
        }

        func validate(_ value: String) throws {
            switch self {
            case .fourEyes:
                guard value == "on" || value == "off" else { throw LifecycleError("four_eyes is on or off") }
            case .reviewRuns, .reviewUnreadDays, .runTimeLimit:
                guard let n = Int(value), n > 0 else { throw LifecycleError("\(rawValue) is a positive whole number") }
            }
        }
    }

    /// The store.
    public let pool: DatabasePool

    /// Creates the settings over `pool`.
    public init(pool: DatabasePool) { self.pool = pool }

    /// The value of `key` (its default when never set).
    public static func value(_ key: Key, in db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key.rawValue]) ?? key.defaultValue
    }

    /// Every setting with its value.
    public func all() throws -> [(key: Key, value: String)] {
        try pool.read { db in try Key.allCases.map { ($0, try Self.value($0, in: db)) } }
    }

    /// Changes a setting as admin `actor`.
    public func set(_ key: Key, to value: String, actor: String) throws {
        try key.validate(value)
        try Governance.write(pool) { db in
            try Users.authorize(actor, needs: .admin, action: "setting", tag: nil, in: db)
            let old = try Self.value(key, in: db)
            try db.execute(
                sql: "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key.rawValue, value])
            try AuditLog.append(db, actor: actor, action: "setting", detail: "\(key.rawValue): \(old) -> \(value)")
        }
    }
}
