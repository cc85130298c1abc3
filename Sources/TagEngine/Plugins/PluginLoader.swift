import Foundation
import LuaHost

/// Loads plugins from the plugins directory into a ``LuaState`` and validates
/// reach configurations against their schemas.
final class PluginLoader {
    let lua: LuaState
    let directory: URL?
    private var cache: [String: PluginDefinition] = [:]

    init(lua: LuaState, directory: URL?) {
        self.lua = lua
        self.directory = directory
    }

    /// The plugin `name`, loaded once.
    func plugin(_ name: String) throws(PluginError) -> PluginDefinition {
        if let cached = cache[name] { return cached }
        let file = "plugins/\(name).lua"
        guard let directory, let source = try? String(contentsOf: directory.appendingPathComponent("\(name).lua"), encoding: .utf8)
        else { throw PluginError(location: file, message: "no plugin named \(name) in the plugins directory") }
        let value: LuaValue
        do {
            value = try lua.run(source, chunkName: file)
        } catch {
            throw PluginError(location: error.location ?? file, message: error.message)
        }
        guard case .table(let fields) = value, case .table(let mark) = fields[RuleDSL.marker] ?? .nil,
            mark["declares"]?.stringValue == RuleDSL.Declaration.plugin.rawValue
        else { throw PluginError(location: file, message: "a reach plugin must return plugin \"\(name)\" { ... } (this is a library?)") }
        let at = "\(file):\(mark["line"]?.intValue ?? 0)"
        guard mark["name"]?.stringValue == name else {
            throw PluginError(location: at, message: "declares plugin \"\(mark["name"]?.stringValue ?? "")\", expected \"\(name)\"")
        }
        func hook(_ key: String) throws(PluginError) -> LuaRef? {
            switch fields[key] {
            case nil: return nil
            case .function(let ref): return ref
            default: throw PluginError(location: at, message: "\(key) must be a function")
            }
        }
        let definition = PluginDefinition(
            name: name, version: fields["version"]?.stringValue ?? "0", schema: try schema(fields["config"], at: at),
            onEnter: try hook("on_enter"), onLeave: try hook("on_leave"), onRun: try hook("on_run"), file: file)
        cache[name] = definition
        return definition
    }

    private func schema(_ value: LuaValue?, at: String) throws(PluginError) -> [String: PluginConfigField] {
        guard let value else { return [:] }
        guard case .table(let entries) = value else {
            if case .array(let list) = value, list.isEmpty { return [:] }
            throw PluginError(location: at, message: "config must be a table of key = { type = ..., required = ..., default = ... }")
        }
        var schema: [String: PluginConfigField] = [:]
        for (key, spec) in entries {
            guard let typeName = spec["type"].stringValue, let type = PluginConfigField.FieldType(rawValue: typeName) else {
                throw PluginError(location: at, message: "config.\(key): type must be string, number, integer, boolean or table")
            }
            let defaultValue: LuaValue? = spec["default"].isNil ? Optional.none : spec["default"]
            schema[key] = PluginConfigField(
                type: type, required: spec["required"] == .bool(true), defaultValue: defaultValue,
                description: spec["description"].stringValue)
        }
        return schema
    }

    /// `config` checked against the plugin's schema, with defaults filled in.
    func validate(_ config: LuaValue, for plugin: PluginDefinition, segment: String) throws(PluginError) -> [String: LuaValue] {
        let location = "segment \"\(segment)\" reach.\(plugin.name)"
        var given: [String: LuaValue] = [:]
        switch config {
        case .table(let t): given = t
        case .array(let a) where a.isEmpty: break
        case .bool(true): break
        default: throw PluginError(location: location, message: "must be a table of settings (or true for the defaults)")
        }
        var result: [String: LuaValue] = [:]
        for key in given.keys.sorted() where plugin.schema[key] == nil {
            let known = plugin.schema.keys.sorted().joined(separator: ", ")
            throw PluginError(location: location, message: "unknown setting '\(key)' (\(plugin.name) accepts: \(known))")
        }
        for (key, field) in plugin.schema.sorted(by: { $0.key < $1.key }) {
            guard let value = given[key] ?? field.defaultValue else {
                if field.required { throw PluginError(location: location, message: "missing required setting '\(key)' (\(field.type.rawValue))") }
                continue
            }
            guard Self.matches(value, field.type) else {
                throw PluginError(location: location, message: "setting '\(key)' must be a \(field.type.rawValue), got a \(value.typeName)")
            }
            result[key] = value
        }
        return result
    }

    static func matches(_ value: LuaValue, _ type: PluginConfigField.FieldType) -> Bool {
        switch (type, value) {
        case (.string, .string), (.boolean, .bool), (.number, .integer), (.number, .number), (.integer, .integer): return true
        case (.table, .table), (.table, .array): return true
        default: return false
        }
    }
}
