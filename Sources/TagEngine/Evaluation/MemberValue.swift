import Foundation
import LuaHost

/// Turns what `evaluate` returned into the stored tag value, or `nil` for
/// "no tag". Flags store `"true"`, enums their value, scores the number.
struct MemberValue {
    let rule: RuleDefinition
    let allowed: Set<String>

    init(rule: RuleDefinition) {
        self.rule = rule
        self.allowed = Set(rule.values)
    }

    /// The canonical stored form of `value`, or a message saying why it is not allowed.
    func canonical(_ value: LuaValue) -> Result<String?, ValueError> {
        switch (rule.kind, value) {
        case (_, .nil), (.flag, .bool(false)): return .success(nil)
        case (.flag, .bool(true)): return .success("true")
        case (.enum, .string(let s)) where allowed.contains(s): return .success(s)
        case (.enum, .string(let s)):
            return .failure(ValueError("evaluate returned '\(s)', not one of the declared values (\(rule.values.joined(separator: ", ")))"))
        case (.label, .string(let s)) where !s.isEmpty: return .success(s)
        case (.score, .integer(let i)): return .success(String(i))
        case (.score, .number(let d)) where d.isFinite: return .success(Self.format(d))
        default:
            let expected = switch rule.kind {
            case .flag: "true, false or nil"
            case .enum: "one of its values or nil"
            case .score: "a finite number or nil"
            case .label: "a non-empty string or nil"
            }
            return .failure(ValueError("evaluate returned a \(value.typeName) (\(value)); a \(rule.kind.rawValue) tag expects \(expected)"))
        }
    }

    /// A score as text: integers without a fraction, others with up to 6 decimals.
    static func format(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
        var text = String(format: "%.6f", d)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    struct ValueError: Error { let message: String; init(_ m: String) { message = m } }
}
