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

    /// Forgets recorded sources; `require` will use `modules` (name to
    /// source) before looking at files. Loaded modules are cached per root
    /// chunk, so chunks run after this call load modules afresh.
    public func resetModules(preloading modules: [String: String] = [:]) {
        resetModules(preloading: modules, frozen: false)
    }

    /// Forgets recorded sources and sets the modules `require` resolves.
    ///
    /// - Parameters:
    ///   - modules: module sources by name, used before any file.
    ///   - frozen: when `true`, `require` resolves names only from `modules`
    ///     and never reads a file: running an approved version cannot pick up
    ///     a module that is not part of it.
    public func resetModules(preloading modules: [String: String], frozen: Bool) {
        tagd_reset_modules(L)
        tagd_set_frozen(L, frozen ? 1 : 0)
        guard !modules.isEmpty else { return }
        tagd_push_preload(L)
        for (name, source) in modules {
            pushString(source)
            lua_setfield(L, -2, name)
        }
        tagd_pop(L, 1)
    }
}
