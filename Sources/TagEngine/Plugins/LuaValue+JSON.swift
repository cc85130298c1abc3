import Foundation
import LuaHost

extension LuaValue {
    /// A `JSONSerialization`-compatible value (functions become null).
    var jsonObject: Any {
        switch self {
        case .nil, .function: return NSNull()
        case .bool(let b): return b
        case .integer(let i): return i
        case .number(let d): return d.isFinite ? d : NSNull()
        case .string(let s): return s
        case .array(let items): return items.map(\.jsonObject)
        case .table(let fields): return fields.mapValues(\.jsonObject)
        }
    }

    /// Compact JSON text with sorted keys.
    var jsonText: String {
        let object = jsonObject
        guard JSONSerialization.isValidJSONObject(object),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        else {
            if case .string(let s) = self, let data = try? JSONSerialization.data(withJSONObject: s, options: .fragmentsAllowed) {
                return String(decoding: data, as: UTF8.self)
            }
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses JSON text into a Lua value.
    init(jsonText: String) {
        guard let data = jsonText.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        else {
            self = .nil
            return
        }
        self = LuaValue(json: object)
    }
}
