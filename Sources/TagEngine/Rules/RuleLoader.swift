import Foundation
import LuaHost

/// Loads rule files into a ``LuaState`` that has the ``RuleDSL`` installed and
/// validates what they declare.
public struct RuleLoader {
    /// The state rules load into.
    public let lua: LuaState

    /// Creates a loader over `lua` and installs the DSL into it.
    public init(lua: LuaState) {
        self.lua = lua
        RuleDSL.install(in: lua)
    }

    /// Runs `source` (the content of `file`) and parses the tag it returns.
    public func load(source: String, file: String) throws(RuleError) -> RuleDefinition {
        let value: LuaValue
        do {
            value = try lua.run(source, chunkName: file)
        } catch {
            throw RuleError.fromLua(error, file: file)
        }
        guard case .table(let fields) = value, case .table(let mark) = fields[RuleDSL.marker] ?? .nil,
            mark["declares"]?.stringValue != RuleDSL.Declaration.plugin.rawValue
        else {
            throw RuleError(
                file: file, "the file must return tag \"name\" { ... } or segment \"name\" { ... } (it returned a \(value.typeName))")
        }
        let parser = RuleParser(
            file: file, line: Int(mark["line"]?.intValue ?? 0), name: mark["name"]?.stringValue ?? "",
            isSegment: mark["declares"]?.stringValue == RuleDSL.Declaration.segment.rawValue, fields: fields, source: source)
        return try parser.parse()
    }
}

extension RuleError {
    /// Maps a Lua error to a rule error at the position Lua reported.
    static func fromLua(_ error: LuaError, file: String) -> RuleError {
        var message = error.message
        var line: Int?
        if let location = error.location, location.hasPrefix(file + ":") {
            line = Int(location.dropFirst(file.count + 1))
            message = String(message.dropFirst(location.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return RuleError(file: file, line: line, message)
    }
}
