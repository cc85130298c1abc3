import MemberStore

extension MemberRecord {
    /// Base and JSON attributes as display strings.
    var displayAttributes: [String: String] {
        var result: [String: String] = [:]
        if let channel { result["channel"] = channel }
        if let registeredAt { result["registered_at"] = Console.date(registeredAt) }
        if let gender { result["gender"] = gender }
        if let region { result["region"] = region }
        if let birthday { result["birthday"] = birthday }
        if let level { result["level"] = String(level) }
        for (key, value) in attrs { result[key] = value.displayText }
        return result
    }

    /// Channel identities.
    var identityMap: [String: String] { identities }
}

extension JSONValue {
    var displayText: String {
        switch self {
        case .string(let s): return s
        default: return JSONValue.jsonString(of: ["v": self]).dropFirst(5).dropLast().description
        }
    }
}
