import Foundation
import GRDB
import LuaHost

/// Calls a segment's reach plugins for each membership change of a run,
/// inside the run's transaction: what the hooks emit goes to the outbox in
/// the same transaction as the change. A failing hook never fails the run:
/// it is recorded in `plugin_errors` and queued in the outbox as a hook to
/// run again later, so its messages are not lost.
struct ReachDispatcher {
    let lua: LuaState
    let plugins: PluginLoader
    let segment: RuleDefinition
    let runID: Int64?
    let asOf: Int64
    /// The segment version's frozen modules and plugin sources (see ``PluginLoader``).
    let snapshot: [String: String]

    /// A membership change to announce.
    struct Change {
        var memberID: Int64
        var transition: String  // entered | left
    }

    func dispatch(_ changes: [Change], in db: Database) throws {
        for (name, rawConfig) in segment.reach.sorted(by: { $0.key < $1.key }) {
            let plugin: PluginDefinition
            let config: [String: LuaValue]
            do {
                plugin = try plugins.plugin(name, snapshot: snapshot)
                config = try plugins.validate(rawConfig, for: plugin, segment: segment.name)
            } catch {
                try Self.recordError(plugin: name, segment: segment.name, member: nil, hook: "load", error: "\(error)", in: db)
                continue
            }
            let emit = Emitter.shared(in: lua)
            var start = 0
            while start < changes.count {
                let batch = changes[start..<min(start + 500, changes.count)]
                start += 500
                let members = try HookMember.loadMany(batch.map(\.memberID), in: db)
                for change in batch {
                    guard let hook = change.transition == "entered" ? plugin.onEnter : plugin.onLeave else { continue }
                    try call(
                        hook, plugin: plugin, config: config, memberID: change.memberID, member: members[change.memberID],
                        transition: change.transition, emitter: emit, in: db)
                }
            }
            if let onRun = plugin.onRun {
                let entered = changes.filter { $0.transition == "entered" }.count
                let summary: LuaValue = .table([
                    "entered": .integer(Int64(entered)), "left": .integer(Int64(changes.count - entered)),
                    "members": .integer(try Int64.fetchOne(db, sql: "SELECT count(*) FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ?", arguments: [segment.name]) ?? 0),
                ])
                try call(
                    onRun, plugin: plugin, config: config, memberID: nil, member: nil, transition: "run", argument: summary,
                    emitter: emit, in: db)
            }
        }
    }

    /// Calls one hook; queues its messages, or the hook itself when it fails.
    /// Returns the hook's error, or `nil` when it succeeded.
    @discardableResult
    func call(
        _ hook: LuaRef, plugin: PluginDefinition, config: [String: LuaValue], memberID: Int64?, member: HookMember? = nil,
        transition: String, argument: LuaValue? = nil, retry: Bool = false, emitter: Emitter? = nil, in db: Database
    ) throws -> String? {
        let member = try member ?? memberID.map { try HookMember.load($0, in: db) }
        let emit = emitter ?? Emitter.shared(in: lua)
        emit.messages.removeAll()
        let context: LuaValue = .table([
            "segment": .string(segment.name), "transition": .string(transition), "run_id": runID.map { .integer($0) } ?? .nil,
            "as_of": .integer(asOf), "config": .table(config), "outbox": .table(["emit": .function(emit.ref)]),
        ])
        let key = "\(segment.name):\(member?.externalID ?? "-"):\(transition):\(runID ?? 0):\(plugin.name)"
        do {
            _ = try lua.call(hook, [argument ?? member?.value ?? .nil, context])
        } catch {
            try Self.recordError(plugin: plugin.name, segment: segment.name, member: memberID, hook: transition, error: error.description, in: db)
            // A retry is already in the outbox: its own row backs off.
            if retry { return error.description }
            try OutboxStore.insert(
                kind: "hook", segment: segment.name, memberID: memberID, transition: transition, runID: runID, plugin: plugin.name,
                channel: nil, payload: LuaValue.table(["as_of": .integer(asOf)]).jsonText, key: key + ":hook", in: db)
            return error.description
        }
        for (index, message) in emit.messages.enumerated() {
            try OutboxStore.insert(
                kind: "message", segment: segment.name, memberID: memberID, transition: transition, runID: runID, plugin: plugin.name,
                channel: message.channel.rawValue, payload: message.payload.jsonText, key: key + ":\(index)", in: db)
        }
        return nil
    }

    static func recordError(plugin: String, segment: String, member: Int64?, hook: String, error: String, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO plugin_errors(at, plugin, segment, member_id, hook, error) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [Date().timeIntervalSince1970, plugin, segment, member, hook, error])
    }
}

/// The `outbox.emit` function handed to hooks, collecting what one call emits.
final class Emitter {
    unowned let lua: LuaState
    var messages: [OutboxMessage] = []
    private(set) var ref = LuaRef(slot: 0)

    /// The one emitter of `lua` (hooks of every run and request share it).
    static func shared(in lua: LuaState) -> Emitter {
        lua.cachedObject("tagd.emitter") { Emitter(lua: lua) }
    }

    private init(lua: LuaState) {
        self.lua = lua
        let index = lua.makeHostFunction { [unowned self] _, arguments in
            self.messages.append(try OutboxMessage(emitted: arguments.first ?? .nil))
            return []
        }
        ref = HostFunctionHandle.ref(lua, index)
    }
}
