/// A Lua value crossing the host boundary.
///
/// Tables bridge as ``array(_:)`` when their keys are exactly `1...n` and as
/// ``table(_:)`` otherwise (non-string keys are converted to their string
/// form). An empty Lua table reads as an empty ``table(_:)``. Functions stay in
/// the VM and cross as a ``LuaRef`` that the owning ``LuaState`` can call.
///
/// ## Topics
/// ### Reading values
/// - ``stringValue``
/// - ``doubleValue``
/// - ``intValue``
/// - ``subscript(_:)``
public enum LuaValue: Sendable, Hashable {
    /// Lua `nil`: no value.
    case `nil`
    /// A Lua boolean.
    case bool(Bool)
    /// A Lua integer (64-bit).
    case integer(Int64)
    /// A Lua float.
    case number(Double)
    /// A Lua string.
    case string(String)
    /// A table whose keys are exactly `1...n`, in key order.
    case array([LuaValue])
    /// Any other table, by key (non-string keys in their string form).
    case table([String: LuaValue])
    /// A function, held in the registry of the ``LuaState`` it came from.
    case function(LuaRef)

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The numeric value of an integer or a float.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// The integer value of an integer, or of a float with no fractional part.
    public var intValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    /// Whether this value is `nil`.
    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    /// The field `key` of a table (``nil`` for anything else).
    public subscript(_ key: String) -> LuaValue {
        if case .table(let t) = self { return t[key] ?? .nil }
        return .nil
    }

    /// The name of the value's Lua type, for messages.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array, .table: return "table"
        case .function: return "function"
        }
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    /// Creates a ``string(_:)`` from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates an ``integer(_:)`` from an integer literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// Creates a ``number(_:)`` from a float literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// Creates a ``bool(_:)`` from a boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates ``nil`` from the `nil` literal.
    public init(nilLiteral: ()) { self = .nil }
}
