import Testing

@testable import LuaHost

/// The static scan of `require` uses.
@Suite("Require scan")
struct LuaSourceTests {
    @Test func literalCallsAreNamed() {
        let source = """
            local a = require "lib.a"
            local b = require("lib.b")
            local c = require 'lib.c'
            local d = require [[lib.d]]
            local e = require [==[lib.e]==]
            local f = require ( "lib.f" )
            local g = require "lib.g" .. "suffix"
            """
        #expect(LuaSource.requireCalls(in: source) == [
            RequireCall(line: 1, name: "lib.a"), RequireCall(line: 2, name: "lib.b"), RequireCall(line: 3, name: "lib.c"),
            RequireCall(line: 4, name: "lib.d"), RequireCall(line: 5, name: "lib.e"), RequireCall(line: 6, name: "lib.f"),
            RequireCall(line: 7, name: "lib.g"),
        ])
    }

    @Test func nonLiteralUsesHaveNoName() {
        let source = """
            local name = "x"
            local a = require("lib." .. name)
            local r = require
            local b = require(name)
            local c = require { "lib.x" }
            local d = require("lib.a", "extra")
            local e = (require)("lib.y")
            """
        #expect(LuaSource.requireCalls(in: source) == [
            RequireCall(line: 2, name: nil), RequireCall(line: 3, name: nil), RequireCall(line: 4, name: nil),
            RequireCall(line: 5, name: nil), RequireCall(line: 6, name: nil), RequireCall(line: 7, name: nil),
        ])
    }

    @Test func commentsStringsAndFieldsAreSkipped() {
        let source = """
            -- require "commented"
            --[[ require "long comment"
            require "still comment" ]]
            --[==[ ]] require "inner" ]==]
            local s = "require 'in a string' \\" require 'escaped quote'"
            local t = [[
            require "in a long string"
            ]]
            local u = [=[ ]] require "x" ]=]
            local m = obj.require("field") or obj:require("method")
            local n = 'it\\'s' .. "\\z
                  require"
            return require "real"
            """
        #expect(LuaSource.requireCalls(in: source) == [RequireCall(line: 13, name: "real")])
    }

    @Test func escapesAreDecodedAndLinesCounted() {
        let source = "local x = 1\r\n\r\nrequire \"lib\\x2ex\"\nrequire 'lib\\u{2E}y'\nrequire \"a\\\nb\"\nrequire '\\108ib'"
        #expect(LuaSource.requireCalls(in: source) == [
            RequireCall(line: 3, name: "lib.x"), RequireCall(line: 4, name: "lib.y"), RequireCall(line: 5, name: "a\nb"),
            RequireCall(line: 7, name: "lib"),
        ])
    }

    @Test func unfinishedInputEndsTheScan() {
        #expect(LuaSource.requireCalls(in: "require 'x\nrequire 'y'") == [RequireCall(line: 1, name: nil)])
        #expect(LuaSource.requireCalls(in: "--[[ require 'x'") == [])
        #expect(LuaSource.requireCalls(in: "#!/usr/bin/lua require 'x'\nrequire 'y'") == [RequireCall(line: 2, name: "y")])
    }
}
