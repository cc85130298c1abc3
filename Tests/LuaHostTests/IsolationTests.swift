import Foundation
import Testing

@testable import LuaHost

/// Makes a temporary plugins directory holding `files` (relative path to source).
func makePluginsDirectory(_ files: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("luahost-\(UUID().uuidString)")
    for (path, source) in files {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try source.write(to: url, atomically: true, encoding: .utf8)
    }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// One chunk cannot change what another chunk of the same state sees.
@Suite("Isolation between chunks")
struct IsolationTests {
    @Test func chunksCannotChangeEachOthersGlobalsOrLibraries() throws {
        let dir = try makePluginsDirectory(["lib/shared.lua": "return { value = 1 }"])
        let lua = try LuaState(pluginsDirectory: dir.path)
        lua.register("tag") { _, _ in ["host tag"] }
        _ = try lua.run(
            """
            local evil = function() return "evil" end
            _G.tag = evil
            tag = evil
            string.lower = evil
            table.concat = evil
            math.floor = evil
            utf8.char = evil
            pcall = evil
            newglobal = 42
            require("lib.shared").value = "mutated"
            require("lib.shared").extra = evil
            return true
            """, chunkName: "rules/a.lua")
        let seen = try lua.run(
            """
            return {
              tag = tag(),
              lower = string.lower("AB"),
              method = ("X"):lower(),
              concat = table.concat({ "a", "b" }),
              floor = math.floor(2.5),
              char = utf8.char(65),
              pcall = pcall(function() return 1 end),
              newglobal = newglobal == nil,
              value = require("lib.shared").value,
              extra = require("lib.shared").extra == nil,
              g = _G == _ENV,
            }
            """, chunkName: "rules/b.lua")
        #expect(seen["tag"] == "host tag")
        #expect(seen["lower"] == "ab")
        #expect(seen["method"] == "x")
        #expect(seen["concat"] == "ab")
        #expect(seen["floor"] == 2)
        #expect(seen["char"] == "A")
        #expect(seen["pcall"] == true)
        #expect(seen["newglobal"] == true)
        #expect(seen["value"] == 1)
        #expect(seen["extra"] == true)
        #expect(seen["g"] == true)
    }

    @Test func theStringMetatableStaysHiddenAndPristine() throws {
        let lua = try LuaState()
        _ = try lua.run("string.upper = function() return 'evil' end\nreturn true", chunkName: "rules/a.lua")
        #expect(try lua.run("return ('x'):upper()", chunkName: "rules/a2.lua") == "X")
        #expect(try lua.run("return getmetatable('')", chunkName: "rules/b.lua") == false)
        #expect(throws: LuaError.self) { try lua.run("setmetatable(_ENV, {})", chunkName: "rules/c.lua") }
    }

    @Test func loadedChunksGetTheirOwnGlobals() throws {
        let lua = try LuaState()
        let v = try lua.run(
            """
            local f = load("x = 1; string.lower = nil; return _G")
            local g = f()
            return { x == nil, string.lower ~= nil, g ~= _G, g.x }
            """, chunkName: "rules/l.lua")
        #expect(v == .array([true, true, true, 1]))
        let explicit = try lua.run("local env = { y = 2 }\nreturn load('return y', 'c', 't', env)()", chunkName: "rules/e.lua")
        #expect(explicit == 2)
    }

    @Test func modulesRequiredByAModuleShareTheirRootsCache() throws {
        let dir = try makePluginsDirectory([
            "lib/counter.lua": "return { n = 0 }",
            "lib/user.lua": "local c = require 'lib.counter'\nc.n = c.n + 1\nreturn { counter = c }",
        ])
        let lua = try LuaState(pluginsDirectory: dir.path)
        let a = try lua.run(
            "local u = require 'lib.user'\nlocal c = require 'lib.counter'\nreturn { u.counter == c, c.n }", chunkName: "rules/a.lua")
        #expect(a == .array([true, 1]))
        // A fresh root starts a fresh cache.
        let b = try lua.run("return require('lib.user').counter.n", chunkName: "rules/b.lua")
        #expect(b == 1)
    }

    @Test func moduleCyclesFailClearly() throws {
        let dir = try makePluginsDirectory(["lib/loop.lua": "return require 'lib.loop'"])
        let lua = try LuaState(pluginsDirectory: dir.path)
        let error = #expect(throws: LuaError.self) { try lua.run("return require 'lib.loop'", chunkName: "rules/c.lua") }
        #expect(error?.message.contains("requires itself") == true)
    }
}
