import Foundation
import LuaHost

/// The realtime rules loaded for one request at a time, each in a state of
/// its own (see ``RuleSandbox``).
final class RealtimeContext {
    let generation: Int
    /// Rules in dependency order, with their tag, version and sandbox.
    let rules: [((tag: TagRecord, version: TagVersionRecord), RuleSandbox)]

    init(snapshot: RealtimeSnapshot, limits: LuaLimits, pluginsDirectory: URL?) throws {
        generation = snapshot.generation
        var loaded: [((tag: TagRecord, version: TagVersionRecord), RuleSandbox)] = []
        for live in snapshot.versions {
            loaded.append((live, try RuleSandbox(version: live.version, limits: limits, pluginsDirectory: pluginsDirectory)))
        }
        rules = try RunOrder.sort(loaded, name: { $0.1.rule.name }, dependencies: { $0.1.rule.dependencies })
    }
}
