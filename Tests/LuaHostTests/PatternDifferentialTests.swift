import Testing

@testable import LuaHost

/// Compares the sandbox's bounded pattern functions with Lua's stock ones on
/// hand-picked and randomly generated (fixed seed) subject/pattern pairs.
@Suite("Pattern matching against stock Lua")
struct PatternDifferentialTests {
    /// A small deterministic generator (Knuth's MMIX linear congruential
    /// generator, high bits), so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let high = state >> 32
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return high << 32 | state >> 32
        }
    }

    /// Runs every case through find, match, gmatch and gsub (string, table and
    /// function replacements, with and without a maximum) in both
    /// implementations and returns the descriptions of the differences.
    static let comparer = #"""
        local stock = stock_patterns
        local sfind, sgsub = stock.find, stock.gsub
        local function pack(...) return { n = select('#', ...), ... } end
        local function normalize(message)
          message = tostring(message)
          message = sgsub(message, "^[^:]*:%d+: ", "")
          message = sgsub(message, "^(bad argument #%d+) to '[^']*'", "%1")
          return message
        end
        local function outcome(f, ...)
          local r = pack(pcall(f, ...))
          if not r[1] then return "error: " .. normalize(r[2]) end
          local parts = {}
          for i = 2, r.n do parts[#parts + 1] = (math.type(r[i]) or type(r[i])) .. "=" .. tostring(r[i]) end
          return table.concat(parts, ",")
        end
        local function iterate(gmatch, s, p, init)
          return function()
            local parts, n = {}, 0
            for a, b, c in gmatch(s, p, init) do
              n = n + 1
              parts[#parts + 1] = tostring(a) .. "|" .. tostring(b) .. "|" .. tostring(c)
              if n > 50 then break end
            end
            return table.concat(parts, ";")
          end
        end
        local lookup = { a = "A", b = false, ab = 1, [""] = "<empty>" }
        local function replacer(first, ...)
          if first == nil or #tostring(first) % 3 == 1 then return nil end
          return "<" .. tostring(first) .. "#" .. select('#', ...) .. ">"
        end
        return function(cases)
          local differences = {}
          for _, case in ipairs(cases) do
            local s, p, init = case[1], case[2], case[3]
            if init == "nil" then init = nil end
            local checks = {
              { "find", stock.find, string.find, s, p, init },
              { "find plain", stock.find, string.find, s, p, init, true },
              { "match", stock.match, string.match, s, p, init },
              { "gsub string", stock.gsub, string.gsub, s, p, case[4] },
              { "gsub table", stock.gsub, string.gsub, s, p, lookup },
              { "gsub function", stock.gsub, string.gsub, s, p, replacer },
              { "gsub max", stock.gsub, string.gsub, s, p, case[4], 2 },
            }
            for _, check in ipairs(checks) do
              local want = outcome(check[2], table.unpack(check, 4, 7))
              local got = outcome(check[3], table.unpack(check, 4, 7))
              if want ~= got then
                differences[#differences + 1] = string.format("%s(%q, %q, %s): stock %s, sandbox %s",
                  check[1], s, p, tostring(init), want, got)
              end
            end
            local want = outcome(iterate(stock.gmatch, s, p, init))
            local got = outcome(iterate(string.gmatch, s, p, init))
            if want ~= got then
              differences[#differences + 1] = string.format("gmatch(%q, %q, %s): stock %s, sandbox %s",
                s, p, tostring(init), want, got)
            end
          end
          return differences
        end
        """#

    static let handPicked: [(String, String)] = [
        ("hello world", "o w"), ("hello world", "l+"), ("hello world", "^h"), ("hello world", "d$"),
        ("hello world", "^(%w+)"), ("key = value", "(%w+)%s*=%s*(%w+)"), ("f(a(b)c)d", "%b()"),
        ("THE (quick) fox", "%f[%a]%a+"), ("THE (quick) fox", "%f[%A]"), ("abcabc", "(abc)%1"),
        ("aaa", "a-"), ("aaa", "a-$"), ("aaa", "a*"), ("aaa", "a?a?a?a?"), ("", ""), ("", "^$"),
        ("abc", ""), ("abc", "()"), ("abc", "()b()"), ("a.b", "%."), ("a.b", "."), ("a]b", "[]]"),
        ("a-b", "[a-]"), ("a-b", "[-a]+"), ("a^b", "[%^]"), ("a^b", "[^^]+"), ("x%y", "%%"),
        ("tab\there", "%c"), ("A1 b2", "%u%d"), ("A1 b2", "%l%d"), ("0x1F", "%x+"), ("a,b;c", "%p"),
        ("  pad  ", "^%s*(.-)%s*$"), ("abc", "%"), ("abc", "[a"), ("abc", "[^a"), ("abc", "(()"),
        ("abc", "%1"), ("abc", "(a)%2"), ("abc", "a)"), ("abc", "%b"), ("abc", "%bx"), ("abc", "%f"),
        ("abc", "%fa"), ("abc", "[%"), ("abc", "(a%1)"), ("abc", String(repeating: "(", count: 33)),
        (String(repeating: "a", count: 300), String(repeating: "a?", count: 250)),
        ("a\0b", "%z"), ("a\0b", "\0"), ("a\0b", "[\0]"), ("a\0b", "a.b"), ("hello", "l*"),
        ("abc", "^"), ("abc", "$"), ("a$b", "$b"), ("a$b", "a$"), ("aXb", "%w%W%w"), ("((x))", "%b((")
            ,
        ("one two  three", "%s*"), ("one two  three", "%a*"), ("x=1, y=2", "(%w+)=(%w+)"),
        ("abc", "[a-c]+"), ("abc", "[c-a]+"), ("ABCabc", "[%u]+"), ("ABCabc", "[^%u]+"),
    ]

    static let inits = ["nil", "1", "0", "-1", "-3", "2", "5", "100", "-100"]

    static func randomCases(count: Int) -> [(String, String, String)] {
        var rng = SeededGenerator(state: 0x7A6D)
        let atoms = [
            "a", "b", "c", ".", "%a", "%d", "%s", "%w", "%A", "%S", "%p", "[ab]", "[^a]", "[a-c]", "[%d_]", "[%a%s]",
            "%b()", "%f[%w]", "%f[%W]", "(", ")", "()", "%1", "%2", "%%", " ", "x", "%(",
        ]
        let quantifiers = ["", "", "", "*", "+", "-", "?"]
        let alphabet = Array("aabbc 1()_-x%")
        var cases: [(String, String, String)] = []
        for _ in 0..<count {
            var pattern = Int.random(in: 0..<6, using: &rng) == 0 ? "^" : ""
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                pattern += atoms.randomElement(using: &rng) ?? "a"
                pattern += quantifiers.randomElement(using: &rng) ?? ""
            }
            if Int.random(in: 0..<6, using: &rng) == 0 { pattern += "$" }
            let subject = String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "a" })
            cases.append((subject, pattern, inits.randomElement(using: &rng) ?? "nil"))
        }
        return cases
    }

    static let replacements = ["[%0]", "%1-%1", "%%", "x", "%2", "%", "%a", ""]

    func differences(_ cases: [(String, String, String)]) throws -> [String] {
        let lua = try LuaState(limits: LuaLimits(instructionsPerCall: 0, memoryBytes: 0, wallTimePerCall: .zero))
        lua.exposeStockPatterns(as: "stock_patterns")
        guard case .function(let compare) = try lua.run(Self.comparer, chunkName: "compare.lua") else {
            Issue.record("the comparer is not a function")
            return []
        }
        let rows: [LuaValue] = cases.enumerated().map { index, c in
            .array([.string(c.0), .string(c.1), .string(c.2), .string(Self.replacements[index % Self.replacements.count])])
        }
        let result = try lua.call(compare, [.array(rows)])
        guard case .array(let items) = result.first ?? .nil else { return [] }
        return items.compactMap(\.stringValue)
    }

    @Test func handPickedCasesMatchStockLua() throws {
        let cases = Self.handPicked.flatMap { pair in Self.inits.prefix(5).map { (pair.0, pair.1, $0) } }
        let found = try differences(cases)
        #expect(found.isEmpty, "\(found.prefix(20).joined(separator: "\n"))")
    }

    @Test func randomCasesMatchStockLua() throws {
        let cases = Self.randomCases(count: 1500)
        let found = try differences(cases)
        #expect(found.isEmpty, "\(found.count) differences:\n\(found.prefix(20).joined(separator: "\n"))")
    }
}
