import Foundation
import LuaHost

/// Loads plugins from the plugins directory into a ``LuaState`` and validates
/// reach configurations against their schemas.
///
/// A segment's approved version freezes the source of every reach plugin it
/// names (stored with the version's modules under `plugin:NAME`): given that
/// snapshot, the loader uses it and never the file, so an edited plugin acts
/// only once a new version of the segment is approved.
final class PluginLoader {
    let lua: LuaState
    let directory: URL?
    private var cache: [String: PluginDefinition] = [:]
    /// Plugin sources read from files since creation, by snapshot key (`plugin:NAME`).
    private(set) var readSources: [String: String] = [:]

    init(lua: LuaState, directory: URL?) {
        self.lua = lua
        self.directory = directory
    }

    /// The key a plugin's source has in a version's module snapshot.
    static func snapshotKey(_ name: String) -> String { "plugin:\(name)" }

    /// The plugin `name`, loaded once per source: from `snapshot` (an
    /// approved version's modules) when given, else from the plugins directory.
    func plugin(_ name: String, snapshot: [String: String]? = nil) throws(PluginError) -> PluginDefinition {
        let file = "plugins/\(name).lua"
        let source: String
        if let snapshot {
            guard let frozen = snapshot[Self.snapshotKey(name)] else {
                throw PluginError(
                    location: file, message: "plugin \(name) is not part of the approved version (approve a new version to use it)")
            }
            source = frozen
        } else {
            guard RuleDSL.isValidName(name), let directory,
                SafeFile.symlink(in: "\(name).lua", under: directory) != nil
                    || FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name).lua").path)
            else {
                throw PluginError(location: file, message: "no plugin named \(name) in the plugins directory")
            }
            do {
                source = try SafeFile.read("\(name).lua", under: directory, shownAs: file)
            } catch {
                throw PluginError(location: file, message: error.description)
            }
            readSources[Self.snapshotKey(name)] = source
        }
        let cacheKey = name + "\u{0}" + Hashing.sha256Hex(source)
        if let cached = cache[cacheKey] { return cached }
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
        cache[cacheKey] = definition
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
