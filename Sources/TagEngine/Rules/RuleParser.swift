import Foundation
import LuaHost

/// Validates the table a `tag "name" { ... }` declaration produced.
struct RuleParser {
    let file: String
    let line: Int
    let name: String
    let isSegment: Bool
    let fields: [String: LuaValue]
    let source: String

    static let knownFields: Set<String> = [
        "title", "category", "owner", "kind", "values", "refresh", "features", "evaluate", "population",
        "description", "pop_refresh", "refit", "stats", RuleDSL.marker,
    ]
    static let knownSegmentFields: Set<String> = [
        "title", "category", "owner", "refresh", "features", "where", "population", "reach", "description", "pop_refresh", "refit", "stats",
        RuleDSL.marker,
    ]
    static let reservedFeatureNames: Set<String> = ["id", "attr", "tags"]

    func fail(_ message: String) -> RuleError {
        RuleError(file: file, line: line, "\(isSegment ? "segment" : "tag") \"\(name)\": \(message)")
    }

    func parse() throws(RuleError) -> RuleDefinition {
        let known = isSegment ? Self.knownSegmentFields : Self.knownFields
        for key in fields.keys.sorted() where !known.contains(key) {
            throw fail("unknown field '\(key)' (known: \(known.subtracting([RuleDSL.marker]).sorted().joined(separator: ", ")))")
        }
        let title = try requiredString("title")
        let category = try requiredString("category")
        let owner = try requiredString("owner")
        let refresh = try requiredString("refresh")
        // A segment is a flag whose `where(m, pop)` decides membership.
        let kind: TagKind
        if isSegment {
            kind = .flag
        } else {
            let kindName = try requiredString("kind")
            guard let parsed = TagKind(rawValue: kindName) else {
                throw fail("kind must be flag, enum, score or label (got '\(kindName)')")
            }
            kind = parsed
        }
        let values = try enumValues(kind: kind)
        let decide = isSegment ? "where" : "evaluate"
        guard case .function(let evaluate) = fields[decide] ?? .nil else {
            throw fail(isSegment
                ? "where must be a function(m, pop) returning true for members of the segment"
                : "evaluate must be a function(m, pop) returning the member's value")
        }
        var population: LuaRef?
        if let value = fields["population"] {
            guard case .function(let ref) = value else { throw fail("population must be a function(m) returning true or false") }
            population = ref
        }
        let (plain, models) = try features()
        if !models.isEmpty, (try? RefreshSchedule(parsing: refresh))?.isRealtime == true {
            throw fail("feature '\(models[0].name)': model features are fitted over the whole population and need a scheduled refresh, not realtime")
        }
        let dependencies = RuleDependencies.scan(source)
        if dependencies.contains(name) { throw fail("a \(isSegment ? "segment" : "tag") cannot read itself through m.tags") }
        var rule = RuleDefinition(
            name: name, title: title, category: category, owner: owner, kind: kind, values: values, refresh: refresh,
            description: fields["description"]?.stringValue, features: plain, evaluate: evaluate,
            population: population, file: file, line: line, usesAttributes: source.contains("attr"),
            dependencies: dependencies)
        rule.models = models
        rule.usesID = Self.readsID(source)
        rule.isSegment = isSegment
        rule.reach = try reach()
        if fields["pop_refresh"] != nil {
            let text = try requiredString("pop_refresh")
            let schedule: RefreshSchedule
            do { schedule = try RefreshSchedule(parsing: text) } catch { throw fail("pop_refresh: \(error)") }
            if schedule.isRealtime { throw fail("pop_refresh must be a cycle such as daily, hourly or every 15m, not realtime") }
            rule.popRefresh = text
        }
        rule.statistics = try statistics()
        if fields["refit"] != nil {
            let text = try requiredString("refit")
            if models.isEmpty { throw fail("refit applies to model features (p_alive, p_purchase, expected_purchases); this rule has none") }
            let schedule: RefreshSchedule
            do { schedule = try RefreshSchedule(parsing: text) } catch { throw fail("refit: \(error)") }
            if schedule.isRealtime { throw fail("refit must be a cycle such as daily, hourly or every 15m, not realtime") }
            rule.refit = text
        }
        return rule
    }

    /// Whether the source mentions `.id` as a whole field name (`m.id`).
    static func readsID(_ source: String) -> Bool {
        var rest = Substring(source)
        while let range = rest.range(of: ".id") {
            let next = rest[range.upperBound...].first
            if next.map({ !($0.isLetter || $0.isNumber || $0 == "_") }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    /// A segment's reach plugins with their raw settings (validated against
    /// each plugin's schema by the catalog).
    private func reach() throws(RuleError) -> [String: LuaValue] {
        var reach: [String: LuaValue] = [:]
        switch fields["reach"] ?? .table([:]) {
        case .table(let plugins):
            for (plugin, config) in plugins {
                guard RuleDSL.isValidName(plugin) else { throw fail("reach: '\(plugin)' is not a plugin name") }
                reach[plugin] = config
            }
        case .array(let list) where list.isEmpty: break
        default: throw fail("reach must be a table of plugin = { config }, such as reach = { sms = { template = \"...\" } }")
        }
        return reach
    }

    /// `stats = { name = function(pop) ... end }`: derived statistics, by name.
    private func statistics() throws(RuleError) -> [(name: String, function: LuaRef)] {
        guard let value = fields["stats"] else { return [] }
        guard case .table(let entries) = value, !entries.isEmpty else {
            throw fail("stats must be a table of name = function(pop) returning a number or nil")
        }
        var result: [(name: String, function: LuaRef)] = []
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard name.first.map({ $0.isLetter || $0 == "_" }) == true,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { throw fail("stats: '\(name)' is not a name (letters, digits and _)") }
            guard PopQuestion.statistic(name) == nil else {
                throw fail("stats: '\(name)' is a built-in statistic (mean, median, pNN); choose another name")
            }
            guard case .function(let ref) = entry else { throw fail("stats.\(name) must be a function(pop) returning a number or nil") }
            result.append((name, ref))
        }
        return result
    }

    private func requiredString(_ key: String) throws(RuleError) -> String {
        guard let value = fields[key] else { throw fail("missing required field '\(key)'") }
        guard let text = value.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail("'\(key)' must be a non-empty string (got a \(value.typeName))")
        }
        return text
    }

    private func enumValues(kind: TagKind) throws(RuleError) -> [String] {
        guard kind == .enum else {
            if fields["values"] != nil { throw fail("values are only for kind = \"enum\"") }
            return []
        }
        guard case .array(let items) = fields["values"] ?? .nil, !items.isEmpty else {
            throw fail("an enum tag needs values = { \"a\", \"b\", ... }")
        }
        var seen: Set<String> = []
        var values: [String] = []
        for item in items {
            guard let text = item.stringValue, !text.isEmpty else { throw fail("enum values must be non-empty strings") }
            guard seen.insert(text).inserted else { throw fail("enum value '\(text)' is listed twice") }
            values.append(text)
        }
        return values
    }

    private func features() throws(RuleError) -> ([(name: String, spec: FeatureSpec)], [(name: String, model: ModelFeature)]) {
        guard let value = fields["features"] else { return ([], []) }
        let entries: [String: LuaValue]
        switch value {
        case .table(let t): entries = t
        case .array(let a) where a.isEmpty: entries = [:]
        default: throw fail("features must be a table of name = count(...), sum(...), ...")
        }
        var result: [(name: String, spec: FeatureSpec)] = []
        var models: [(name: String, model: ModelFeature)] = []
        for (featureName, descriptor) in entries.sorted(by: { $0.key < $1.key }) {
            guard RuleDSL.isValidName(featureName), !Self.reservedFeatureNames.contains(featureName) else {
                throw fail("feature name '\(featureName)' must be lower_snake_case and not id, attr or tags")
            }
            do {
                if let model = try ModelFeature.decode(descriptor) {
                    models.append((featureName, model))
                } else {
                    result.append((featureName, try FeatureSpec.decode(descriptor)))
                }
            } catch {
                throw fail("feature '\(featureName)': \(error.message)")
            }
        }
        return (result, models)
    }
}
