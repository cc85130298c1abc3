import Foundation
import LuaHost

/// One approved rule version loaded in a Lua state of its own, with its reach
/// plugins resolved from the version's frozen snapshot.
///
/// A state per rule: whatever one rule does to its state (memory it keeps,
/// globals it sets) cannot touch another rule's, in a run, in the realtime
/// pool or in reach hooks.
final class RuleSandbox {
    /// The rule's own state.
    let lua: LuaState
    /// Its reach plugins (loaded into ``lua`` from the version's snapshot).
    let plugins: PluginLoader
    /// The loaded definition.
    let rule: RuleDefinition
    /// The version's frozen modules and plugin sources.
    let snapshot: [String: String]

    init(version: TagVersionRecord, limits: LuaLimits, pluginsDirectory: URL?) throws {
        lua = try LuaState(limits: limits, pluginsDirectory: pluginsDirectory?.path)
        snapshot = version.moduleSources
        lua.resetModules(preloading: snapshot, frozen: true)
        rule = try RuleLoader(lua: lua).load(source: version.source, file: version.file)
        plugins = PluginLoader(lua: lua, directory: pluginsDirectory)
    }

    /// Re-arms the frozen modules before hooks run (they may `require` more).
    func prepareHooks() {
        lua.resetModules(preloading: snapshot, frozen: true)
    }
}
