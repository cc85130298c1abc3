import CLua
import CLuaShim

/// One sandboxed Lua 5.4 virtual machine.
///
/// The sandbox offers only the `base` library (without `dofile`, `loadfile`,
/// `string.dump` and binary chunks in `load`), `string`, `table`, `math` and
/// `utf8`; `require` resolves module names only inside the plugins directory.
/// Every chunk runs with globals of its own (fresh copies of the base
/// functions, the library tables and the registered host functions), so one
/// script cannot change what another sees. Each call from the host is limited
/// by ``LuaLimits`` and can be stopped from any thread through ``interrupt``;
/// a tripped limit cannot be caught by the script.
///
/// A `LuaState` is not thread-safe: use one per task or thread (it is
/// deliberately not `Sendable`).
///
/// ## Topics
/// ### Running code
/// - ``run(_:chunkName:)``
/// - ``call(_:_:)``
/// ### Host functions
/// - ``register(_:_:)``
/// - ``makeHostFunction(_:)``
/// ### Fast path
/// - ``pushValue(_:)``
/// - ``callTop(arguments:results:)``
public final class LuaState {
    /// The raw state, for the fast-path extensions in this module.
    let L: OpaquePointer
    /// The caps in force.
    public let limits: LuaLimits
    /// Stops the running call from any thread (see ``LuaInterrupt``).
    public let interrupt: LuaInterrupt
    /// How many host calls are running (host functions may call back into Lua);
    /// only the outermost one arms the limits.
    var callDepth = 0
    var hostFunctions: [HostFunction] = []
    var namedRefs: [String: LuaRef] = [:]
    var namedObjects: [String: AnyObject] = [:]

    /// A Swift function callable from Lua: receives the arguments, returns results.
    public typealias HostFunction = (LuaState, [LuaValue]) throws -> [LuaValue]

    /// Creates a sandboxed state.
    ///
    /// - Parameters:
    ///   - limits: instruction and memory caps.
    ///   - pluginsDirectory: where `require "name"` looks for `name.lua`
    ///     (`nil`: `require` always fails).
    public init(limits: LuaLimits = .default, pluginsDirectory: String? = nil) throws(LuaError) {
        let state: OpaquePointer? =
            if let pluginsDirectory {
                pluginsDirectory.withCString { tagd_newstate(limits.memoryBytes, $0) }
            } else {
                tagd_newstate(limits.memoryBytes, nil)
            }
        guard let state else { throw LuaError(kind: .memory, message: "cannot create a Lua state") }
        guard let interrupt = LuaInterrupt() else {
            tagd_close(state)
            throw LuaError(kind: .memory, message: "cannot create a Lua interrupt")
        }
        self.L = state
        self.limits = limits
        self.interrupt = interrupt
        tagd_set_interrupt(L, interrupt.raw)
        tagd_set_host(L, Unmanaged.passUnretained(self).toOpaque(), luaHostDispatch)
    }

    deinit {
        tagd_set_host(L, nil, nil)
        tagd_set_interrupt(L, nil)
        tagd_close(L)
    }

    /// Bytes the VM holds now.
    public var memoryUsed: Int { tagd_memory_used(L) }
    /// The most bytes the VM has held at once.
    public var memoryPeak: Int { tagd_memory_peak(L) }

    /// Compiles and runs `source` in a fresh environment and returns its first result.
    ///
    /// - Parameters:
    ///   - source: Lua text (binary chunks are refused).
    ///   - chunkName: the file name errors and tracebacks show, such as `rules/value/rfm.lua`.
    public func run(_ source: String, chunkName: String) throws(LuaError) -> LuaValue {
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        if source.utf8.first == 0x1B {
            throw LuaError(kind: .syntax, message: "\(chunkName): binary chunks are not allowed")
        }
        return try limited { () throws(LuaError) -> LuaValue in
            let length = source.utf8.count
            let status = source.withCString { tagd_run_chunk(L, $0, length, "@" + chunkName) }
            try check(status)
            return try value(at: -1)
        }
    }

    /// Calls a function held by `ref` with `arguments` and returns its results.
    public func call(_ ref: LuaRef, _ arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        lua_rawgeti(L, tagd_registryindex(), lua_Integer(ref.slot))
        for argument in arguments { pushValue(argument) }
        try callTop(arguments: Int32(arguments.count), results: LUA_MULTRET)
        var results: [LuaValue] = []
        let top = lua_gettop(L)
        if top > base {
            for index in (base + 1)...top { results.append(try value(at: index)) }
        }
        return results
    }

    /// The value kept under `key` for the life of this state, made once by `make`
    /// (for chunks the host compiles once per state rather than once per call).
    public func cached(_ key: String, make: () throws -> LuaRef) rethrows -> LuaRef {
        if let ref = namedRefs[key] { return ref }
        let ref = try make()
        namedRefs[key] = ref
        return ref
    }

    /// The host object kept under `key` for the life of this state, made once
    /// by `make` (state that long-lived host functions of this state share).
    public func cachedObject<T: AnyObject>(_ key: String, make: () throws -> T) rethrows -> T {
        if let object = namedObjects[key] as? T { return object }
        let object = try make()
        namedObjects[key] = object
        return object
    }

    /// Drops the registry slot behind `ref`; the value may then be collected.
    public func release(_ ref: LuaRef) {
        luaL_unref(L, tagd_registryindex(), ref.slot)
    }
}
