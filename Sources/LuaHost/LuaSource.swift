/// Static checks on Lua source text, without running it.
public enum LuaSource {
    /// Every use of the global `require` in `source`, in order.
    ///
    /// Comments (including long comments such as `--[==[ ... ]==]`) and
    /// strings (including long strings and escapes) are skipped, and field
    /// or method names (`t.require`, `t:require`) are not uses. The host can
    /// refuse, at check time, a file whose calls are not all literal
    /// (``RequireCall/name`` `nil`), so what a rule loads is known before it runs.
    public static func requireCalls(in source: String) -> [RequireCall] {
        let tokens = LuaTokenizer(source).tokens()
        var calls: [RequireCall] = []
        for (index, token) in tokens.enumerated() {
            guard token.kind == .name("require") else { continue }
            if index > 0, tokens[index - 1].kind == .symbol(".") || tokens[index - 1].kind == .symbol(":") { continue }
            calls.append(RequireCall(line: token.line, name: literalArgument(tokens, after: index)))
        }
        return calls
    }

    /// Whether `source` uses the name `name` anywhere outside comments and
    /// strings (as a variable or as a field, `x.name`).
    public static func mentions(_ name: String, in source: String) -> Bool {
        LuaTokenizer(source).tokens().contains { $0.kind == .name(name) }
    }

    /// The string of `f "x"`, `f [[x]]` or `f("x")` for the call at `index`, else `nil`.
    private static func literalArgument(_ tokens: [LuaToken], after index: Int) -> String? {
        func kind(_ offset: Int) -> LuaToken.Kind? {
            index + offset < tokens.count ? tokens[index + offset].kind : nil
        }
        if case .string(let name)? = kind(1) { return name }
        guard kind(1) == .symbol("("), case .string(let name)? = kind(2), kind(3) == .symbol(")") else { return nil }
        return name
    }
}
