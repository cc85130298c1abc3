import LuaHost

/// Installs the rule vocabulary into a ``LuaState``: `tag "name" { ... }`,
/// `segment "name" { ... }`, `plugin "name" { ... }` and the feature
/// functions `count`, `sum`, `avg`, `min`, `max`, `first`, `last`,
/// `days_since`, `distinct`, `mode`, `active_days`, and the model features
/// `p_alive`, `expected_purchases`, `p_purchase` (``ModelFeature``).
///
/// Feature functions validate their arguments at once, so a typo fails at the
/// line that has it, and return plain descriptor tables that
/// ``RuleLoader`` reads back.
public enum RuleDSL {
    /// The key under which declarations mark the table they return.
    static let marker = "__tagd_rule"

    /// What a file declares.
    public enum Declaration: String, Sendable, CaseIterable {
        /// `tag "name" { ... }`, `segment "name" { ... }` or `plugin "name" { ... }`.
        case tag, segment, plugin
    }

    /// Registers the vocabulary as globals of `lua`.
    public static func install(in lua: LuaState) {
        for function in FeatureSpec.Function.allCases where function != .daysSinceFirst {
            lua.register(function.rawValue) { _, arguments in
                [try FeatureSpec.parse(function: function, arguments: arguments).descriptor]
            }
        }
        for output in ModelFeature.Output.allCases {
            lua.register(output.rawValue) { _, arguments in [try ModelFeature.parse(output, arguments: arguments).descriptor] }
        }
        for declaration in Declaration.allCases {
            lua.register(declaration.rawValue) { state, arguments in
                try declare(declaration, arguments: arguments, in: state)
            }
        }
        // `identity { ... }` (rules/identity.lua) takes its table directly.
        lua.register("identity") { state, arguments in
            guard case .table(var fields) = arguments.first ?? .nil else {
                throw LuaHostError("identity: expected a table, as in identity { keys = { \"phone\" } }")
            }
            fields[marker] = .table(["name": "identity", "line": .integer(Int64(state.location(level: 1)?.line ?? 0)), "declares": "identity"])
            return [.table(fields)]
        }
    }

    /// `tag "name"` returns a function that takes the body table and marks it
    /// with the declaration, the name and the line.
    private static func declare(_ declaration: Declaration, arguments: [LuaValue], in state: LuaState) throws -> [LuaValue] {
        let word = declaration.rawValue
        guard let name = arguments.first?.stringValue else {
            throw LuaHostError("\(word): expected a name, as in \(word) \"name\" { ... }")
        }
        guard isValidName(name) else {
            throw LuaHostError("\(word): name '\(name)' must be lower_snake_case ([a-z][a-z0-9_]*)")
        }
        let line = state.location(level: 1)?.line ?? 0
        let finish = state.makeHostFunction { _, body in
            guard case .table(var fields) = body.first ?? .nil else {
                throw LuaHostError("\(word) \"\(name)\": expected a table, as in \(word) \"\(name)\" { title = ... }")
            }
            fields[marker] = .table(["name": .string(name), "line": .integer(Int64(line)), "declares": .string(word)])
            return [.table(fields)]
        }
        return [.function(HostFunctionHandle.ref(state, finish))]
    }

    /// Whether `name` is a valid tag, segment, plugin or feature name.
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
