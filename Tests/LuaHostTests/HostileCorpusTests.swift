import Foundation
import Testing

@testable import LuaHost

/// Hostile rule and plugin code: every attack must end within its limits with
/// a `file:line` location, and the state must stay usable afterwards.
@Suite("Hostile corpus")
struct HostileCorpusTests {
    static let tight = LuaLimits(instructionsPerCall: 200_000, memoryBytes: 64 << 20, wallTimePerCall: .seconds(5))

    /// Runs `source` as `rules/hostile.lua`, expects a `kind` error located in
    /// that file (at `line` when given) within `seconds`, then checks the state still works.
    @discardableResult
    func expectStopped(
        _ source: String, kind: LuaError.Kind, line: Int? = nil, limits: LuaLimits = tight, within seconds: Double = 3,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> LuaError? {
        let lua = try LuaState(limits: limits)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: LuaError.self, sourceLocation: sourceLocation) {
            try lua.run(source, chunkName: "rules/hostile.lua")
        }
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(seconds), "took \(elapsed)", sourceLocation: sourceLocation)
        #expect(error?.kind == kind, "\(String(describing: error))", sourceLocation: sourceLocation)
        if let line {
            #expect(error?.location == "rules/hostile.lua:\(line)", "\(String(describing: error))", sourceLocation: sourceLocation)
        } else {
            #expect(error?.location?.hasPrefix("rules/hostile.lua:") == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        }
        #expect(try lua.run("return ('ok'):upper()", chunkName: "after.lua") == "OK", sourceLocation: sourceLocation)
        return error
    }

    // MARK: 1. CPU spent in C

    @Test func backtrackingFindHitsTheBudget() throws {
        try expectStopped("local s = string.rep('a', 20000)\nreturn s:find('.-.-.-.-.-.-.-.-b')", kind: .instructionBudget, line: 2)
    }

    @Test("every pattern function is bounded", arguments: [
        "string.find(s, '.-.-.-.-.-.-.-.-b')", "string.match(s, '.-.-.-.-.-.-.-.-b')", "s:match('(.-)(.-)(.-)(.-)b')",
        "string.gsub(s, '.-.-.-.-.-.-.-.-b', 'x')", "s:gsub('.-.-.-.-.-.-b', {})",
        "for m in s:gmatch('.-.-.-.-.-.-.-.-b') do end", "string.find(s, string.rep('a*', 30) .. 'b')",
    ])
    func patternFunctionsAreBounded(call: String) throws {
        try expectStopped("local s = string.rep('a', 20000)\n\(call)", kind: .instructionBudget, line: 2)
    }

    @Test func backtrackingWithoutBudgetHitsTheWallTime() throws {
        let limits = LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .milliseconds(200))
        let error = try expectStopped(
            "local s = string.rep('a', 20000)\nreturn s:find('.-.-.-.-.-.-.-.-b')", kind: .timeout, line: 2, limits: limits)
        #expect(error?.message == "rules/hostile.lua:2: wall-time limit of 0.2 s exceeded")
    }

    @Test("big C work is charged", arguments: [
        "for i = 1, 1e6 do local s = string.rep('x', 100000) end",
        "for i = 1, 1e6 do local s = string.rep('x', 1000, ',') end",
        "local t = {} for i = 1, 1000 do t[i] = string.rep('y', 100) end\nfor i = 1, 1e6 do local s = table.concat(t) end",
        "local big = string.rep('z', 100000)\nfor i = 1, 1e6 do local s = string.format('%s%s', big, big) end",
        "local big = string.rep('z', 100000)\nfor i = 1, 1e6 do local s = big:upper() end",
        "local s = string.rep('', 1e15)",
        "local s = string.rep('', 1e15, '')",
        "local t = setmetatable({}, {__index = function() return '' end})\nlocal s = table.concat(t, '', 1, 1e15)",
        "local big = string.rep('z', 1e6)\nfor i = 1, 1e6 do local s = big .. i end",
    ])
    func bigCWorkIsCharged(source: String) throws {
        try expectStopped(source, kind: .instructionBudget)
    }

    // MARK: 2. Wall time and interrupts

    @Test func endlessLoopHitsTheWallTime() throws {
        let limits = LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .milliseconds(100))
        let error = try expectStopped("local n = 0\nwhile true do n = n + 1 end", kind: .timeout, line: 2, limits: limits)
        #expect(error?.message.hasSuffix("wall-time limit of 0.1 s exceeded") == true)
    }

    @Test func bigConcatenationsHitTheWallTimePromptly() throws {
        let limits = LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .milliseconds(200))
        try expectStopped(
            "local big = string.rep('z', 20e6)\nfor i = 1, 1e6 do local s = big .. i end", kind: .timeout, line: 2,
            limits: limits, within: 1.5)
    }

    @Test func interruptFromAnotherThreadCancelsTheRunningCall() throws {
        let lua = try LuaState(limits: LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .zero))
        let interrupt = lua.interrupt
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.1)
            interrupt.request("run 12 exceeded its 60 s limit")
        }
        thread.start()
        let error = #expect(throws: LuaError.self) {
            try lua.run("local n = 0\nwhile true do\n  pcall(function() n = n + 1 end)\nend", chunkName: "rules/spin.lua")
        }
        #expect(error?.kind == .cancelled)
        #expect(error?.location?.hasPrefix("rules/spin.lua:") == true)
        #expect(error?.message.hasSuffix("cancelled: run 12 exceeded its 60 s limit") == true)
        // The request stays until cleared, so later calls fail at once too.
        #expect(interrupt.isRequested)
        #expect(throws: LuaError.self) { try lua.run("while true do end", chunkName: "rules/next.lua") }
        interrupt.clear()
        #expect(try lua.run("return 1", chunkName: "after.lua") == 1)
    }

    @Test func interruptStopsPatternMatching() throws {
        let lua = try LuaState(limits: LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .zero))
        lua.interrupt.request("server shutting down")
        let error = #expect(throws: LuaError.self) {
            try lua.run("local s = string.rep('a', 20000)\nreturn s:find('.-.-.-.-.-.-.-.-b')", chunkName: "rules/p.lua")
        }
        #expect(error?.kind == .cancelled)
        #expect(error?.location?.hasPrefix("rules/p.lua:") == true)
        lua.interrupt.clear()
    }

    // MARK: 3. Limits cannot be caught

    @Test("limits cannot be caught", arguments: [
        "for i = 1, 1e9 do pcall(function() while true do end end) end",
        "while true do pcall(function() while true do end end) end",
        "while true do xpcall(function() while true do end end, function(e) return e end) end",
        "while true do xpcall(function() while true do end end, function(e) while true do end end) end",
        "while true do pcall(error, setmetatable({}, {__tostring = function() while true do end end})) end",
        "while true do pcall(function() local x <close> = setmetatable({}, {__close = function() while true do end end})\nwhile true do end end) end",
        "while true do pcall(load('while true do end')) end",
        "local bad = setmetatable({}, {__tostring = function() while true do end end})\nwhile true do pcall(tostring, bad) end",
        "while true do pcall(string.gsub, string.rep('a', 5000), '.-.-.-b', function() while true do end end) end",
        "error(setmetatable({}, {__tostring = function() while true do end end}))",
    ])
    func limitsCannotBeCaught(source: String) throws {
        try expectStopped(source, kind: .instructionBudget)
    }

    @Test func timeoutCannotBeCaught() throws {
        let limits = LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .milliseconds(100))
        try expectStopped("while true do pcall(function() while true do end end) end", kind: .timeout, limits: limits)
    }

    @Test func ordinaryErrorsAreStillCatchable() throws {
        let lua = try LuaState()
        let v = try lua.run("local ok, e = pcall(error, 'boom')\nlocal ok2, e2 = xpcall(error, function(m) return 'h:' .. m end, 'x')\nreturn { ok, e, ok2, e2 }", chunkName: "c.lua")
        #expect(v == .array([false, "boom", false, "h:x"]))
        #expect(try lua.run("return select('#', pcall(function() return 1, 2, 3 end))", chunkName: "n.lua") == 4)
        #expect(try lua.run("return xpcall(function(a, b) return a + b end, print, 2, 3)", chunkName: "x.lua") == true)
        #expect(try lua.run("return select(2, xpcall(function(a, b) return a + b end, print, 2, 3))", chunkName: "x.lua") == 5)
        let many = "local t = {} for i = 1, 200000 do t[i] = i end\nreturn select('#', %@(table.unpack, t))"
        #expect(try lua.run(many.replacingOccurrences(of: "%@", with: "pcall"), chunkName: "m.lua") == 200_001)
        #expect(try lua.run(many.replacingOccurrences(of: "%@", with: "xpcall").replacingOccurrences(of: "unpack, t", with: "unpack, print, t"), chunkName: "m.lua") == 200_001)
    }

    // MARK: 4. No finalizers

    @Test func finalizersAreRefused() throws {
        let error = try expectStopped(
            "local n = 0\nsetmetatable({}, {__gc = function() while true do end end}); collectgarbage()", kind: .runtime, line: 2)
        #expect(error?.message.contains("finalizers (__gc) are not allowed in the sandbox") == true)
    }

    @Test func addingGcAfterSetmetatableDoesNotFinalize() throws {
        let lua = try LuaState(limits: Self.tight)
        let v = try lua.run(
            """
            local ran = false
            local mt = {}
            do local t = setmetatable({}, mt); mt.__gc = function() ran = true; while true do end end end
            collectgarbage(); collectgarbage()
            return ran
            """, chunkName: "rules/late.lua")
        #expect(v == false)
    }

    @Test func collectgarbageAllowsOnlyCountAndCollect() throws {
        let lua = try LuaState()
        #expect(try lua.run("return type(collectgarbage('count'))", chunkName: "g.lua") == "number")
        #expect(try lua.run("return collectgarbage()", chunkName: "g.lua") == 0)
        for option in ["stop", "step", "incremental", "generational", "setpause"] {
            #expect(throws: LuaError.self) { try lua.run("collectgarbage('\(option)')", chunkName: "g.lua") }
        }
    }
}
