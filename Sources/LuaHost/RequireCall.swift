/// A use of the identifier `require` found in Lua source by
/// ``LuaSource/requireCalls(in:)``.
public struct RequireCall: Sendable, Hashable {
    /// The 1-based line of the `require` identifier.
    public let line: Int
    /// The module name when the argument is a single string literal
    /// (`require "x"`, `require("x")`, `require 'x'`, `require [[x]]`);
    /// `nil` for anything else (`require("lib." .. name)`, `local r = require`).
    public let name: String?

    /// Creates a record of one `require` use.
    public init(line: Int, name: String?) {
        self.line = line
        self.name = name
    }
}
