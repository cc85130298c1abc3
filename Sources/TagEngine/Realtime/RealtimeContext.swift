import Foundation
import LuaHost

/// One Lua state with the realtime rules loaded, used by one request at a time.
final class RealtimeContext {
    let generation: Int
    let lua: LuaState
    let plugins: PluginLoader
    /// Rules in dependency order, with their tag and version.
    let rules: [((tag: TagRecord, version: TagVersionRecord), RuleDefinition)]

    init(snapshot: RealtimeSnapshot, limits: LuaLimits, pluginsDirectory: URL?) throws {
        generation = snapshot.generation
        lua = try LuaState(limits: limits, pluginsDirectory: pluginsDirectory?.path)
        plugins = PluginLoader(lua: lua, directory: pluginsDirectory)
        let loader = RuleLoader(lua: lua)
        var loaded: [((tag: TagRecord, version: TagVersionRecord), RuleDefinition)] = []
        for live in snapshot.versions {
            lua.resetModules(preloading: live.version.moduleSources)
            loaded.append((live, try loader.load(source: live.version.source, file: live.version.file)))
        }
        rules = try RunOrder.sort(loaded, name: { $0.1.name }, dependencies: { $0.1.dependencies })
    }
}
