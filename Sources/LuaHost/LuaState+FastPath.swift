import CLua
import CLuaShim

/// Stack-level operations for hot loops (one call per member): they avoid
/// building ``LuaValue`` trees. Callers keep the stack balanced.
extension LuaState {
    /// The number of values on the stack.
    public var top: Int32 { lua_gettop(L) }

    /// Drops values above `index`.
    public func setTop(_ index: Int32) { lua_settop(L, index) }

    /// Pushes the value behind `ref`.
    public func pushRef(_ ref: LuaRef) { lua_rawgeti(L, tagd_registryindex(), lua_Integer(ref.slot)) }

    /// Pops the top value into a new registry reference.
    public func popRef() -> LuaRef { LuaRef(slot: luaL_ref(L, tagd_registryindex())) }

    /// Pushes a new table sized for `array` items and `fields` keys.
    public func newTable(array: Int32 = 0, fields: Int32 = 0) { lua_createtable(L, array, fields) }

    /// Pops the top value into field `key` of the table just below it.
    public func setField(_ key: UnsafePointer<CChar>) { lua_setfield(L, -2, key) }

    /// Pops the top value into field `key` of the table just below it.
    public func setField(_ key: String) { lua_setfield(L, -2, key) }

    /// Pushes `nil`, a boolean, an integer or a float.
    public func pushNil() { lua_pushnil(L) }
    /// Pushes a boolean.
    public func push(_ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }
    /// Pushes an integer.
    public func push(_ i: Int64) { lua_pushinteger(L, lua_Integer(i)) }
    /// Pushes a float.
    public func push(_ d: Double) { lua_pushnumber(L, d) }

    /// Sets the metatable of the table at the top to the table at the top
    /// (pops the metatable).
    public func setMetatable() { lua_setmetatable(L, -2) }

    /// Pushes a copy of the value at `index`.
    public func pushCopy(_ index: Int32) { lua_pushvalue(L, index) }

    /// Calls the function below `arguments` values with the per-call limits;
    /// leaves `results` values (or all, for `LUA_MULTRET`).
    public func callTop(arguments: Int32, results: Int32) throws(LuaError) {
        try limited { () throws(LuaError) in try check(tagd_pcall(L, arguments, results)) }
    }

    /// Whether the value at `index` is a table.
    public func isTable(_ index: Int32) -> Bool { lua_type(L, index) == LUA_TTABLE }
}
