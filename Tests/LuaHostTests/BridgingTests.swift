import Testing

@testable import LuaHost

@Suite("Bridging")
struct BridgingTests {
    @Test("values round-trip", arguments: [
        LuaValue.nil, .bool(true), .bool(false), .integer(-7), .integer(Int64.max), .number(2.5),
        .string("héllo"), .string(""), .array([1, "two", 3.5]),
        .table(["a": 1, "b": .table(["c": "deep"]), "list": .array(["x", "y"])]),
    ])
    func roundTrip(value: LuaValue) throws {
        let lua = try LuaState()
        _ = try lua.run("function_ = nil; return true", chunkName: "init.lua")
        let echo = try lua.run("return function(...) return ... end", chunkName: "echo.lua")
        guard case .function(let ref) = echo else { Issue.record("not a function"); return }
        #expect(try lua.call(ref, [value]) == [value])
    }

    @Test func luaToHostTypes() throws {
        let lua = try LuaState()
        let v = try lua.run("return { n = 3, f = 0.5, s = 'x', t = true, seq = {10, 20}, [5] = 'five' }", chunkName: "t.lua")
        #expect(v["n"] == .integer(3))
        #expect(v["f"] == .number(0.5))
        #expect(v["seq"] == .array([10, 20]))
        #expect(v["5"] == .string("five"))
        #expect(v["missing"] == .nil)
    }

    @Test func hostFunctionsReceiveAndReturnValues() throws {
        let lua = try LuaState()
        lua.register("add") { _, args in
            guard let a = args.first?.doubleValue, let b = args.dropFirst().first?.doubleValue else {
                throw LuaHostError("add expects two numbers")
            }
            return [.number(a + b), .string("ok")]
        }
        #expect(try lua.run("local s, ok = add(1, 2.5); return { s, ok }", chunkName: "h.lua") == .array([3.5, "ok"]))
        let error = #expect(throws: LuaError.self) { try lua.run("\nreturn add('x')", chunkName: "rules/h.lua") }
        #expect(error?.message == "rules/h.lua:2: add expects two numbers")
    }

    @Test func runtimeErrorsCarryATraceback() throws {
        let lua = try LuaState()
        let f = try lua.run("return function(m)\n  return m.x.y\nend", chunkName: "rules/t.lua")
        guard case .function(let ref) = f else { Issue.record("not a function"); return }
        let error = #expect(throws: LuaError.self) { try lua.call(ref, [.table([:])]) }
        #expect(error?.location == "rules/t.lua:2")
        #expect(error?.traceback?.contains("stack traceback") == true)
    }
}
