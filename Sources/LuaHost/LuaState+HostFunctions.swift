import CLua
import CLuaShim

/// An error a host function raises into the calling script; the script sees
/// `file:line: message`.
///
/// The script sees the message prefixed with the `file:line` of the call;
/// host wrappers written in Lua (chunks named `=tagd:...`, such as the
/// engine's `pop` table) are skipped, so the line is the script's own.
public struct LuaHostError: Error, Sendable {
    /// What the script is told.
    public let message: String

    /// Creates an error with the message the script sees.
    public init(_ message: String) { self.message = message }
}

extension LuaState {
    /// Defines global `name` in the sandbox as a call to `function` (every
    /// chunk run afterwards gets its own copy of the global).
    public func register(_ name: String, _ function: @escaping HostFunction) {
        let index = makeHostFunction(function)
        tagd_push_globals(L)
        tagd_push_host_function(L, Int32(index))
        lua_setfield(L, -2, name)
        tagd_pop(L, 1)
    }

    /// Makes the stock, unbounded pattern functions visible to chunks as the
    /// global table `name` (differential tests of the bounded ones only).
    func exposeStockPatterns(as name: String) {
        tagd_expose_stock_patterns(L, name)
    }

    /// Keeps `function` and returns its index for ``pushHostFunction(_:)``.
    public func makeHostFunction(_ function: @escaping HostFunction) -> Int {
        hostFunctions.append(function)
        return hostFunctions.count - 1
    }

    /// Pushes a Lua function that calls host function `index`.
    public func pushHostFunction(_ index: Int) {
        tagd_push_host_function(L, Int32(index))
    }

    /// Runs host function `index` with the stack as arguments; returns the
    /// number of results pushed, or -1 with an error message pushed.
    func dispatch(_ index: Int) -> Int32 {
        let count = lua_gettop(L)
        do {
            var arguments: [LuaValue] = []
            arguments.reserveCapacity(Int(count))
            if count > 0 { for i in 1...count { arguments.append(try value(at: i)) } }
            let results = try hostFunctions[index](self, arguments)
            guard lua_checkstack(L, Int32(results.count) + 1) != 0 else {
                pushString("too many results")
                return -1
            }
            for result in results { pushValue(result) }
            return Int32(results.count)
        } catch let error as LuaHostError {
            pushString(error.message)
        } catch let error as LuaError {
            pushString(error.message)
        } catch {
            pushString("\(error)")
        }
        return -1
    }
}

/// The C entry point every host function goes through.
let luaHostDispatch: tagd_host_dispatch = { _, host, index in
    guard let host else { return -1 }
    return Unmanaged<LuaState>.fromOpaque(host).takeUnretainedValue().dispatch(Int(index))
}
