import LuaHost
import MemberStore

/// Reads the table of `identity { ... }` into an ``IdentityPolicy``, with an
/// error at the file's line for every unknown or ill-typed field.
struct IdentityRulesParser {
    let file: String
    let line: Int
    let fields: [String: LuaValue]

    static let known: Set<String> = [
        "keys", "normalize", "limits", "blocked", "on_conflict", "survivor", "attributes", "max_merges", "owner", "title",
        RuleDSL.marker,
    ]

    func fail(_ message: String) -> RuleError { RuleError(file: file, line: line, "identity: \(message)") }

    func parse() throws(RuleError) -> IdentityPolicy {
        for key in fields.keys.sorted() where !Self.known.contains(key) {
            throw fail("unknown field '\(key)' (known: \(Self.known.subtracting([RuleDSL.marker]).sorted().joined(separator: ", ")))")
        }
        let keys = try strings(fields["keys"] ?? .nil, field: "keys")
        guard !keys.isEmpty else { throw fail("keys must list at least one channel, highest priority first") }
        if Set(keys).count != keys.count { throw fail("keys names a channel twice") }
        var policy = IdentityPolicy(keys: keys)
        for (channel, value) in try table(fields["normalize"], field: "normalize") {
            guard let spelling = value.stringValue, let normalizer = IdentityNormalizer(spelling: spelling) else {
                throw fail("normalize.\(channel): expected \"as_given\", \"trim\", \"lower\", \"email\" or \"phone +CC\" (a country code)")
            }
            policy.normalizers[channel] = normalizer
        }
        for (channel, value) in try table(fields["limits"], field: "limits") {
            guard let limit = value.intValue, limit >= 1, limit <= 1_000 else { throw fail("limits.\(channel): expected a whole number 1...1000") }
            policy.limits[channel] = Int(limit)
        }
        for (channel, value) in try table(fields["blocked"], field: "blocked") {
            let values = try strings(value, field: "blocked.\(channel)")
            policy.blocked[channel] = Set(values.map { channel == "*" ? $0 : policy.normalize($0, channel: channel) })
        }
        policy.onConflict = try choice(fields["on_conflict"], field: "on_conflict", default: .candidate)
        policy.survivor = try choice(fields["survivor"], field: "survivor", default: .earliestRegistration)
        policy.attributes = try choice(fields["attributes"], field: "attributes", default: .survivor)
        if let value = fields["max_merges"], !value.isNil {
            guard let limit = value.intValue, limit >= 1 else { throw fail("max_merges: expected a whole number >= 1") }
            policy.maxMerges = Int(limit)
        }
        return policy
    }

    private func choice<T: RawRepresentable>(_ value: LuaValue?, field: String, default fallback: T) throws(RuleError) -> T
    where T.RawValue == String {
        guard let value, !value.isNil else { return fallback }
        guard let text = value.stringValue, let parsed = T(rawValue: text) else {
            throw fail("\(field): \(value.stringValue.map { "'\($0)'" } ?? value.typeName) is not one of the allowed values")
        }
        return parsed
    }

    private func strings(_ value: LuaValue, field: String) throws(RuleError) -> [String] {
        switch value {
        case .nil: return []
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw fail("\(field): expected strings, found a \(item.typeName)") }
                out.append(text)
            }
            return out
        case .table(let t) where t.isEmpty: return []
        default: throw fail("\(field): expected a list of strings, as in { \"a\", \"b\" }")
        }
    }

    private func table(_ value: LuaValue?, field: String) throws(RuleError) -> [(String, LuaValue)] {
        switch value ?? .nil {
        case .nil: return []
        case .table(let t): return t.sorted { $0.key < $1.key }
        case .array(let a) where a.isEmpty: return []
        default: throw fail("\(field): expected a table keyed by channel, as in { phone = ... }")
        }
    }
}
