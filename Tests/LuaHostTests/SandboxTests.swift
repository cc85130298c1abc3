import Foundation
import Testing

@testable import LuaHost

@Suite("Sandbox")
struct SandboxTests {
    @Test("dangerous libraries are absent", arguments: ["io", "os", "debug", "package", "dofile", "loadfile", "warn", "coroutine"])
    func absent(name: String) throws {
        let lua = try LuaState()
        #expect(try lua.run("return \(name) == nil", chunkName: "probe.lua") == .bool(true))
    }

    @Test("safe libraries are present", arguments: ["string", "table", "math", "utf8", "pairs", "pcall"])
    func present(name: String) throws {
        let lua = try LuaState()
        #expect(try lua.run("return \(name) ~= nil", chunkName: "probe.lua") == .bool(true))
    }

    @Test func osExecuteFailsWithFileAndLine() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) {
            try lua.run("local x = 1\nos.execute('touch /tmp/pwned')", chunkName: "rules/evil.lua")
        }
        #expect(error?.kind == .runtime)
        #expect(error?.location == "rules/evil.lua:2")
        #expect(error?.message.contains("os") == true)
    }

    @Test func binaryChunksAreRefused() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.run("\u{1B}Lua", chunkName: "bin.lua") }
        #expect(error?.kind == .syntax)
        #expect(try lua.run("return string.dump == nil", chunkName: "d.lua") == .bool(true))
        let viaLoad = try lua.run(
            "local ok, err = pcall(load, '\\27Lua', 'x', 'b'); return err", chunkName: "load.lua")
        #expect(viaLoad.stringValue?.contains("binary chunks are not allowed") == true)
        let textLoad = try lua.run("return load('return 1 + 1')()", chunkName: "text.lua")
        #expect(textLoad == .integer(2))
    }

    @Test func endlessLoopIsStoppedWithFileAndLine() throws {
        let lua = try LuaState(limits: LuaLimits(instructionsPerCall: 100_000, memoryBytes: 0))
        let error = #expect(throws: LuaError.self) {
            try lua.run("local n = 0\nwhile true do\n  n = n + 1\nend", chunkName: "rules/loop.lua")
        }
        #expect(error?.kind == .instructionBudget)
        #expect(error?.location?.hasPrefix("rules/loop.lua:") == true)
        // The state stays usable and the budget is per call.
        #expect(try lua.run("return 40 + 2", chunkName: "after.lua") == .integer(42))
    }

    @Test func memoryBombIsStoppedWithFileAndLine() throws {
        let lua = try LuaState(limits: LuaLimits(instructionsPerCall: 0, memoryBytes: 8 << 20))
        let error = #expect(throws: LuaError.self) {
            try lua.run("local t = {}\nfor i = 1, 1e9 do\n  t[i] = string.rep('x', 64) .. i\nend", chunkName: "rules/greedy.lua")
        }
        #expect(error?.kind == .memory)
        #expect(error?.message.contains("rules/greedy.lua:3") == true)
        #expect(error?.message.contains("8 MiB") == true)
        let big = #expect(throws: LuaError.self) {
            try lua.run("\nreturn string.rep('x', 1 << 30)", chunkName: "rules/rep.lua")
        }
        #expect(big?.kind == .memory)
        #expect(big?.message.hasPrefix("rules/rep.lua:2") == true)
        #expect(try lua.run("return 1", chunkName: "after.lua") == .integer(1))
    }

    @Test func scriptsCannotChangeEachOthersGlobals() throws {
        let lua = try LuaState()
        _ = try lua.run("x = 1; string.upper = nil; return true", chunkName: "a.lua")
        #expect(try lua.run("return x", chunkName: "b.lua") == .nil)
        #expect(try lua.run("return getmetatable(_ENV)", chunkName: "c.lua") == .bool(false))
        #expect(try lua.run("return getmetatable('')", chunkName: "d.lua") == .bool(false))
    }

    @Test func requireLoadsOnlyFromPlugins() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("luahost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try "return { twice = function(x) return 2 * x end }".write(
            to: dir.appendingPathComponent("lib/math2.lua"), atomically: true, encoding: .utf8)
        let lua = try LuaState(pluginsDirectory: dir.path)
        #expect(try lua.run("return require('lib.math2').twice(21)", chunkName: "r.lua") == .integer(42))
        let missing = #expect(throws: LuaError.self) { try lua.run("return require 'nope'", chunkName: "r.lua") }
        #expect(missing?.message.contains("not found") == true)
        let escape = #expect(throws: LuaError.self) { try lua.run("return require '../../etc/passwd'", chunkName: "r.lua") }
        #expect(escape?.message.contains("invalid module name") == true)
        let none = try LuaState()
        #expect(throws: LuaError.self) { try none.run("return require 'lib.math2'", chunkName: "r.lua") }
    }

    @Test func syntaxErrorsNameFileAndLine() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.run("return {\n  a = = 1\n}", chunkName: "rules/bad.lua") }
        #expect(error?.kind == .syntax)
        #expect(error?.location == "rules/bad.lua:2")
    }
}
