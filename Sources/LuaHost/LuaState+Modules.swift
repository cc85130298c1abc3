import CLua
import CLuaShim

/// Versioning of the modules rules load with `require`.
///
/// A rule's approved version must fix everything it runs, including the
/// plugin libraries it requires: the host records the sources `require` read
/// from files while loading a rule (``requiredModules()``) and, when running
/// an approved version, hands those exact sources back
/// (``resetModules(preloading:)``) so `require` uses them, not today's files.
extension LuaState {
    /// Module sources `require` read from the plugins directory since the last
    /// ``resetModules(preloading:)``, by module name.
    public func requiredModules() -> [String: String] {
        tagd_push_required(L)
        defer { tagd_pop(L, 1) }
        var modules: [String: String] = [:]
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            if lua_type(L, -2) == LUA_TSTRING, lua_type(L, -1) == LUA_TSTRING {
                modules[string(at: -2)] = string(at: -1)
            }
            tagd_pop(L, 1)
        }
        return modules
    }

    /// Forgets loaded modules and recorded sources; `require` will use
    /// `modules` (name to source) before looking at files.
    public func resetModules(preloading modules: [String: String] = [:]) {
        tagd_reset_modules(L)
        guard !modules.isEmpty else { return }
        tagd_push_preload(L)
        for (name, source) in modules {
            pushString(source)
            lua_setfield(L, -2, name)
        }
        tagd_pop(L, 1)
    }
}
