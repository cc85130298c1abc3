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
        /// The Lua types; `number` also accepts integers and `table` also arrays.
        case string, number, integer, boolean, table
    }

    /// The type a setting must have.
    public var type: FieldType
    /// Whether a segment must set it when there is no default.
    public var required: Bool
    /// The value used when a segment does not set it; `nil` for none.
    public var defaultValue: LuaValue?
    /// What the setting means, for people; `nil` when the plugin does not say.
    public var description: String?
}
