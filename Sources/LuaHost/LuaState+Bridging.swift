import CLua
import CLuaShim

extension LuaState {
    /// Pushes `value` onto the Lua stack.
    public func pushValue(_ value: LuaValue) {
        switch value {
        case .nil: lua_pushnil(L)
        case .bool(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, lua_Integer(i))
        case .number(let d): lua_pushnumber(L, d)
        case .string(let s): pushString(s)
        case .array(let items):
            lua_createtable(L, Int32(items.count), 0)
            for (offset, item) in items.enumerated() {
                pushValue(item)
                lua_rawseti(L, -2, lua_Integer(offset + 1))
            }
        case .table(let fields):
            lua_createtable(L, 0, Int32(fields.count))
            for (key, item) in fields {
                pushString(key)
                pushValue(item)
                lua_rawset(L, -3)
            }
        case .function(let ref):
            lua_rawgeti(L, tagd_registryindex(), lua_Integer(ref.slot))
        }
    }

    /// Pushes a Swift string as a Lua string.
    public func pushString(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                _ = lua_pushlstring(L, chars.baseAddress, chars.count)
            }
        }
    }

    /// Reads the value at stack `index` (functions become registry references).
    public func value(at index: Int32) throws(LuaError) -> LuaValue {
        try value(at: lua_absindex(L, index), depth: 0)
    }

    private func value(at index: Int32, depth: Int) throws(LuaError) -> LuaValue {
        guard depth < 64 else { throw LuaError(kind: .runtime, message: "table nested deeper than 64 levels (a cycle?)") }
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if tagd_isinteger(L, index) != 0 { return .integer(Int64(lua_tointegerx(L, index, nil))) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING: return .string(string(at: index))
        case LUA_TTABLE: return try table(at: index, depth: depth)
        case LUA_TFUNCTION:
            lua_pushvalue(L, index)
            return .function(LuaRef(slot: luaL_ref(L, tagd_registryindex())))
        default:
            let name = String(cString: lua_typename(L, lua_type(L, index)))
            throw LuaError(kind: .runtime, message: "a \(name) value cannot cross to the host")
        }
    }

    /// The string at `index` (which must be a string or a number).
    func string(at index: Int32) -> String {
        var length = 0
        guard let chars = tagd_tostring(L, index, &length) else { return "" }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    private func table(at index: Int32, depth: Int) throws(LuaError) -> LuaValue {
        var fields: [String: LuaValue] = [:]
        var sequence: [LuaValue] = []
        var isSequence = true
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let item = try value(at: lua_gettop(L), depth: depth + 1)
            let key: String
            if lua_type(L, -2) == LUA_TNUMBER, tagd_isinteger(L, -2) != 0 {
                let n = Int64(lua_tointegerx(L, -2, nil))
                key = String(n)
                if isSequence, n == sequence.count + 1 { sequence.append(item) } else { isSequence = false }
            } else if lua_type(L, -2) == LUA_TSTRING {
                lua_pushvalue(L, -2)
                key = string(at: -1)
                tagd_pop(L, 1)
                isSequence = false
            } else {
                isSequence = false
                lua_pushvalue(L, -2)
                key = String(cString: luaL_tolstring(L, -1, nil))
                tagd_pop(L, 2)
            }
            fields[key] = item
            tagd_pop(L, 1)
        }
        if isSequence, !sequence.isEmpty, sequence.count == fields.count { return .array(sequence) }
        return .table(fields)
    }
}

extension LuaState {
    /// The number of fixed parameters of the Lua function held by `ref`
    /// (0 for a C function or a non-function).
    public func parameterCount(_ ref: LuaRef) -> Int {
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        lua_rawgeti(L, tagd_registryindex(), lua_Integer(ref.slot))
        guard lua_type(L, -1) == LUA_TFUNCTION else { return 0 }
        var record = lua_Debug()
        guard lua_getinfo(L, ">u", &record) != 0 else { return 0 }
        return Int(record.nparams)
    }
}
