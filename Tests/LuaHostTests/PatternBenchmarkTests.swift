import Foundation
import Testing

@testable import LuaHost

/// A rough timing of the bounded pattern functions against the stock ones
/// (printed, not asserted: machines differ).
@Suite("Pattern benchmark")
struct PatternBenchmarkTests {
    static let workload = """
        local find, match, gsub, gmatch = ...
        local line = "2024-05-17T10:22:31Z user=alice@example.com action=login ip=10.0.0.1 ok"
        local n = 0
        for i = 1, 20000 do
          if find(line, "action=(%w+)") then n = n + 1 end
          local y, m, d = match(line, "^(%d+)-(%d+)-(%d+)")
          n = n + #y
          local s = gsub(line, "%s+", " ")
          for k, v in gmatch(line, "(%w+)=(%S+)") do n = n + 1 end
        end
        return n
        """

    func seconds(_ lua: LuaState, _ functions: String) throws -> Double {
        guard case .function(let body) = try lua.run("return function(...) \(Self.workload) end", chunkName: "bench.lua"),
            case .function(let pick) = try lua.run("return function() return \(functions) end", chunkName: "pick.lua")
        else { return .nan }
        let picked = try lua.call(pick)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try lua.call(body, picked)
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test func boundedMatcherCostsAboutAsMuchAsStock() throws {
        let lua = try LuaState(limits: LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .zero))
        lua.exposeStockPatterns(as: "stock_patterns")
        let functions = "string.find, string.match, string.gsub, string.gmatch"
        let stockFunctions = "stock_patterns.find, stock_patterns.match, stock_patterns.gsub, stock_patterns.gmatch"
        _ = try seconds(lua, stockFunctions)
        let stock = try seconds(lua, stockFunctions)
        let bounded = try seconds(lua, functions)
        print(String(format: "pattern benchmark: stock %.3f s, bounded %.3f s (%.2fx)", stock, bounded, bounded / stock))
        #expect(bounded < stock * 4)
    }
}
