import Testing

@testable import LuaHost
@testable import TagEngine

@Suite("Rule checks")
struct RuleCheckTests {
    func load(_ body: String) throws(RuleError) -> RuleDefinition {
        try RuleLoader(lua: try! LuaState()).load(source: body, file: "rules/t.lua")
    }

    static let base = "title = \"T\", category = \"c/d\", owner = \"o\", refresh = \"hourly\", evaluate = function() end"

    @Test("invalid declarations name file, line and reason", arguments: [
        ("return 42", "must return tag"),
        ("return tag \"Bad-Name\" {}", "lower_snake_case"),
        ("return tag \"t\" { \(base) }", "missing required field 'kind'"),
        ("return tag \"t\" { kind = \"flags\", \(base) }", "kind must be flag, enum, score or label"),
        ("return tag \"t\" { kind = \"enum\", \(base) }", "needs values"),
        ("return tag \"t\" { kind = \"enum\", values = { \"a\", \"a\" }, \(base) }", "listed twice"),
        ("return tag \"t\" { kind = \"flag\", evalute = 1, \(base) }", "unknown field 'evalute'"),
        ("return tag \"t\" { kind = \"flag\", title = \"T\", category = \"c\", owner = \"o\", refresh = \"hourly\" }", "evaluate must be a function"),
        ("return tag \"t\" {\n  kind = \"flag\", \(base),\n  features = { id = count(\"orders\") } }", "not id, attr or tags"),
        ("return tag \"t\" { kind = 'flag', \(base)", "expected"),
    ])
    func invalid(source: String, message: String) {
        let error = #expect(throws: RuleError.self) { try load(source) }
        #expect(error?.file == "rules/t.lua")
        #expect(error?.line != nil || source == "return 42", "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func enumValuesAreChecked() throws {
        let rule = try load("return tag \"t\" { kind = \"enum\", values = { \"x\", \"y\" }, \(Self.base) }")
        let converter = MemberValue(rule: rule)
        #expect(try converter.canonical(.string("x")).get() == "x")
        #expect(try converter.canonical(.nil).get() == nil)
        guard case .failure(let error) = converter.canonical(.string("z")) else { Issue.record("accepted z"); return }
        #expect(error.message.contains("not one of the declared values (x, y)"))
    }
}
