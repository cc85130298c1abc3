import LuaHost

/// A reach plugin: `plugin "name" { version, config = {schema}, on_enter, on_leave, on_run }`.
///
/// Its hooks live in the ``LuaState`` that loaded it.
public struct PluginDefinition: Sendable {
    /// The plugin name (`plugins/<name>.lua`).
    public var name: String
    /// Its version string.
    public var version: String
    /// The configuration schema, by key.
    public var schema: [String: PluginConfigField]
    /// `on_enter(member, ctx)`: a member entered a segment.
    public var onEnter: LuaRef?
    /// `on_leave(member, ctx)`: a member left a segment.
    public var onLeave: LuaRef?
    /// `on_run(summary, ctx)`: once per segment run.
    public var onRun: LuaRef?
    /// The file, relative to the plugins directory's parent (`plugins/sms.lua`).
    public var file: String
}

/// One configuration key a plugin accepts.
public struct PluginConfigField: Sendable, Hashable {
    /// The accepted value types.
    public enum FieldType: String, Sendable, Hashable {
        case string, number, integer, boolean, table
    }

    public var type: FieldType
    public var required: Bool
    public var defaultValue: LuaValue?
    public var description: String?
}
