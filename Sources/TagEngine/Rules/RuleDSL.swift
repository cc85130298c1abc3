import LuaHost

/// Installs the rule vocabulary into a ``LuaState``: `tag "name" { ... }` and
/// the feature functions `count`, `sum`, `avg`, `min`, `max`, `first`, `last`,
/// `days_since`, `distinct`, `mode`.
///
/// Feature functions validate their arguments at once, so a typo fails at the
/// line that has it, and return plain descriptor tables that
/// ``RuleLoader`` reads back.
public enum RuleDSL {
    /// The key under which `tag` marks the table it returns.
    static let marker = "__tagd_rule"

    /// Registers the vocabulary as globals of `lua`.
    public static func install(in lua: LuaState) {
        for function in FeatureSpec.Function.allCases where function != .daysSinceFirst {
            lua.register(function.rawValue) { _, arguments in
                do {
                    return [try FeatureSpec.parse(function: function, arguments: arguments).descriptor]
                } catch {
                    throw error
                }
            }
        }
        lua.register("tag") { state, arguments in
            guard let name = arguments.first?.stringValue else {
                throw LuaHostError("tag: expected a name, as in tag \"rfm_class\" { ... }")
            }
            guard isValidName(name) else {
                throw LuaHostError("tag: name '\(name)' must be lower_snake_case ([a-z][a-z0-9_]*)")
            }
            let line = state.location(level: 1)?.line ?? 0
            let finish = state.makeHostFunction { _, body in
                guard case .table(var fields) = body.first ?? .nil else {
                    throw LuaHostError("tag \"\(name)\": expected a table, as in tag \"\(name)\" { title = ... }")
                }
                fields[marker] = .table(["name": .string(name), "line": .integer(Int64(line))])
                return [.table(fields)]
            }
            return [.function(HostFunctionHandle.ref(state, finish))]
        }
    }

    /// Whether `name` is a valid tag or feature name.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// Turns a host function index into a reference that can be returned to Lua.
enum HostFunctionHandle {
    static func ref(_ state: LuaState, _ index: Int) -> LuaRef {
        state.pushHostFunction(index)
        return state.popRef()
    }
}
