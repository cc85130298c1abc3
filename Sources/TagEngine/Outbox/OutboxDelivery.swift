import Foundation
import GRDB
import LuaHost

/// Delivers due outbox entries, at least once: webhook messages are POSTed
/// with an `Idempotency-Key` header (the receiver drops repeats), file
/// messages are appended under the exports directory, and failed hooks are
/// run again. Failures back off per ``RetryPolicy`` and end up `dead`
/// (`tagd outbox retry` revives them).
public struct OutboxDelivery: Sendable {
    /// The store.
    public let pool: DatabasePool
    /// Where file messages are appended (their `path` is relative to it).
    public let exportsDirectory: URL
    /// Where plugins and `require` are looked up when a failed hook runs again; `nil` for none.
    public let pluginsDirectory: URL?
    /// Caps for every hook call run again.
    public let limits: LuaLimits
    /// Backoff and attempt limit for failed deliveries.
    public let policy: RetryPolicy
    /// What sends webhook requests.
    public let transport: any WebhookTransport

    /// What one pass did.
    public struct Report: Sendable, Codable {
        /// Entries delivered.
        public var delivered = 0
        /// Entries that failed and will be tried again.
        public var failed = 0
        /// Entries that failed for the last time and are now dead.
        public var dead = 0

        /// An empty report.
        public init() {}
    }

    /// Creates a delivery over `pool` sending webhooks through `transport`.
    public init(
        pool: DatabasePool, transport: any WebhookTransport, exportsDirectory: URL, pluginsDirectory: URL?,
        limits: LuaLimits = .default, policy: RetryPolicy = RetryPolicy()
    ) {
        self.pool = pool
        self.transport = transport
        self.exportsDirectory = exportsDirectory
        self.pluginsDirectory = pluginsDirectory
        self.limits = limits
        self.policy = policy
    }

    /// Delivers up to `limit` entries that are due at `now`.
    public func deliverDue(now: Date = Date(), limit: Int = 200) async throws -> Report {
        let due: [DueEntry] = try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, kind, segment, member_id, transition, run_id, plugin, channel, payload, idempotency_key, attempts
                FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit]
            ).map(DueEntry.init(row:))
        }
        // Up to 16 deliveries in flight, so one slow endpoint does not hold up the rest.
        return await withTaskGroup(of: Report.self) { group in
            var report = Report()
            var next = due.makeIterator()
            for _ in 0..<16 {
                guard let row = next.next() else { break }
                group.addTask { await deliver(row, now: now) }
            }
            while let one = await group.next() {
                report.delivered += one.delivered
                report.failed += one.failed
                report.dead += one.dead
                if let row = next.next() { group.addTask { await deliver(row, now: now) } }
            }
            return report
        }
    }

    /// An outbox row due for delivery.
    struct DueEntry: Sendable {
        var id: Int64
        var kind: String
        var segment: String
        var memberID: Int64?
        var transition: String
        var runID: Int64?
        var plugin: String
        var channel: String?
        var payload: String
        var key: String
        var attempts: Int

        init(row: Row) {
            id = row["id"]
            kind = row["kind"]
            segment = row["segment"]
            memberID = row["member_id"]
            transition = row["transition"]
            runID = row["run_id"]
            plugin = row["plugin"]
            channel = row["channel"]
            payload = row["payload"]
            key = row["idempotency_key"]
            attempts = row["attempts"]
        }
    }

    /// Delivers one entry and records the outcome.
    private func deliver(_ row: DueEntry, now: Date) async -> Report {
        var report = Report()
        let id = row.id
        let attempts = row.attempts
        do {
            do {
                switch (row.kind, row.channel) {
                case ("message", "webhook"): try await postWebhook(payload: row.payload, key: row.key)
                case ("message", "file"): try appendFile(payload: row.payload)
                case ("hook", _): try await OwnThread.run { [self] in try rerunHook(row) }
                default: throw DeliveryError(message: "unknown outbox entry kind")
                }
                try await pool.write { db in
                    try db.execute(
                        sql: "UPDATE outbox SET status = 'delivered', attempts = ?, delivered_at = ?, last_error = NULL WHERE id = ?",
                        arguments: [attempts + 1, Date().timeIntervalSince1970, id])
                }
                report.delivered += 1
            } catch {
                let tries = attempts + 1
                let dead = tries >= policy.maxAttempts
                try await pool.write { db in
                    try db.execute(
                        sql: "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                        arguments: [dead ? "dead" : "pending", tries, now.timeIntervalSince1970 + policy.delay(after: tries), "\(error)", id])
                }
                if dead { report.dead += 1 } else { report.failed += 1 }
            }
        } catch {
            // The store itself failed; the entry stays as it was and is tried again.
        }
        return report
    }

    struct DeliveryError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private func postWebhook(payload: String, key: String) async throws {
        let message = LuaValue(jsonText: payload)
        guard let url = message["url"].stringValue else { throw DeliveryError(message: "webhook message without url") }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Idempotency-Key", key)]
        if case .table(let extra) = message["headers"] {
            for (name, value) in extra { if let text = value.stringValue { headers.append((name, text)) } }
        }
        let body = Array((message["body"].isNil ? "{}" : message["body"].jsonText).utf8)
        let status = try await transport.post(url: url, headers: headers, body: body, timeout: policy.requestTimeout)
        guard (200..<300).contains(status) else {
            throw DeliveryError(message: "\(url) answered \(status)")
        }
    }

    private func appendFile(payload: String) throws {
        let message = LuaValue(jsonText: payload)
        guard let path = message["path"].stringValue, ExportPath.isSafe(path), let line = message["line"].stringValue else {
            throw DeliveryError(message: "file message without a safe path and a line")
        }
        do {
            try SafeFile.appendLine(line, to: path, under: exportsDirectory)
        } catch {
            throw DeliveryError(message: error.description)
        }
    }

    /// Runs a hook that failed during a segment run again, queueing its messages.
    private func rerunHook(_ row: DueEntry) throws {
        let segment = row.segment
        let plugin = row.plugin
        guard let live = try TagRegistry(pool: pool).liveVersions(names: [segment]).first else {
            throw DeliveryError(message: "segment \(segment) is no longer active")
        }
        let lua = try LuaState(limits: limits, pluginsDirectory: pluginsDirectory?.path)
        lua.resetModules(preloading: live.version.moduleSources, frozen: true)
        let rule = try RuleLoader(lua: lua).load(source: live.version.source, file: live.version.file)
        let loader = PluginLoader(lua: lua, directory: pluginsDirectory)
        let definition = try loader.plugin(plugin, snapshot: live.version.moduleSources)
        let config = try loader.validate(rule.reach[plugin] ?? .nil, for: definition, segment: segment)
        let transition = row.transition
        let hook = transition == "entered" ? definition.onEnter : transition == "left" ? definition.onLeave : definition.onRun
        guard let hook else { return }
        let asOf = LuaValue(jsonText: row.payload)["as_of"].intValue ?? Int64(Date().timeIntervalSince1970)
        let dispatcher = ReachDispatcher(
            lua: lua, plugins: loader, segment: rule, runID: row.runID, asOf: asOf, snapshot: live.version.moduleSources)
        let failure = try pool.write { db in
            try dispatcher.call(hook, plugin: definition, config: config, memberID: row.memberID, transition: transition, retry: true, in: db)
        }
        if let failure { throw DeliveryError(message: failure) }
    }
}
