import Foundation
import Testing

@testable import LuaHost

/// Frozen module snapshots and the refusal of symbolic links.
@Suite("Modules")
struct ModuleTests {
    @Test func frozenModeNeverReadsFiles() throws {
        let dir = try makePluginsDirectory(["lib/a.lua": "return 'file a'", "lib/b.lua": "return 'file b'"])
        let lua = try LuaState(pluginsDirectory: dir.path)
        lua.resetModules(preloading: ["lib.a": "return 'approved a'"], frozen: true)
        #expect(try lua.run("return require 'lib.a'", chunkName: "rules/r.lua") == "approved a")
        let error = #expect(throws: LuaError.self) { try lua.run("\nreturn require 'lib.b'", chunkName: "rules/r.lua") }
        #expect(
            error?.message
                == "rules/r.lua:2: require: module 'lib.b' is not part of the approved version (approve a new version to use it)")
        #expect(lua.requiredModules().isEmpty)
        // Unfrozen (the old signature) reads and records files again.
        lua.resetModules(preloading: ["lib.a": "return 'approved a'"])
        #expect(try lua.run("return require 'lib.b'", chunkName: "rules/r.lua") == "file b")
        #expect(try lua.run("return require 'lib.a'", chunkName: "rules/r.lua") == "approved a")
        #expect(lua.requiredModules() == ["lib.b": "return 'file b'"])
        lua.resetModules()
        #expect(try lua.run("return require 'lib.a'", chunkName: "rules/r.lua") == "file a")
    }

    @Test func symbolicLinksAreRefused() throws {
        let outside = try makePluginsDirectory(["secret.lua": "return 'secret'", "dir/x.lua": "return 'x'"])
        let dir = try makePluginsDirectory(["lib/ok.lua": "return 'ok'"])
        let fm = FileManager.default
        try fm.createSymbolicLink(
            at: dir.appendingPathComponent("lib/x.lua"), withDestinationURL: outside.appendingPathComponent("secret.lua"))
        try fm.createSymbolicLink(at: dir.appendingPathComponent("linked"), withDestinationURL: outside.appendingPathComponent("dir"))
        let lua = try LuaState(pluginsDirectory: dir.path)
        #expect(try lua.run("return require 'lib.ok'", chunkName: "rules/s.lua") == "ok")
        let file = #expect(throws: LuaError.self) { try lua.run("return require 'lib.x'", chunkName: "rules/s.lua") }
        #expect(file?.message == "rules/s.lua:1: require: plugins/lib/x.lua is a symbolic link (refused)")
        let directory = #expect(throws: LuaError.self) { try lua.run("return require 'linked.x'", chunkName: "rules/s.lua") }
        #expect(directory?.message == "rules/s.lua:1: require: plugins/linked is a symbolic link (refused)")
        #expect(lua.requiredModules() == ["lib.ok": "return 'ok'"])
    }

    @Test("invalid module names", arguments: ["", ".x", "x.", "a..b", "../x", "a/b", "a b"])
    func invalidNames(name: String) throws {
        let lua = try LuaState(pluginsDirectory: FileManager.default.temporaryDirectory.path)
        let error = #expect(throws: LuaError.self) { try lua.run("return require '\(name)'", chunkName: "rules/n.lua") }
        #expect(error?.message.contains("invalid module name") == true)
    }
}
