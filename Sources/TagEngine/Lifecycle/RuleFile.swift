import Foundation

/// A `.lua` file found in the rules directory, with what it declares.
public struct RuleFile: Sendable {
    /// Path relative to the rules directory, such as `value/rfm_class.lua`.
    public var path: String
    /// The file content.
    public var source: String
    /// SHA-256 of ``source`` and the sources of the modules it requires.
    public var hash: String
    /// The plugin libraries the file requires (module name to source), frozen
    /// into its version so a library edit is a new proposal, not a silent change.
    public var modules: [String: String] = [:]
    /// The declared tag, or why the file does not load.
    public var outcome: Result<RuleSummary, RuleError>

    /// Creates a file entry.
    public init(path: String, source: String, hash: String, outcome: Result<RuleSummary, RuleError>) {
        self.path = path
        self.source = source
        self.hash = hash
        self.outcome = outcome
    }

    /// The version hash of `source` together with the `modules` it requires.
    public static func versionHash(source: String, modules: [String: String]) -> String {
        guard !modules.isEmpty else { return Hashing.sha256Hex(source) }
        let parts = modules.sorted { $0.key < $1.key }.map { "\($0.key)\u{0}\($0.value)" }
        return Hashing.sha256Hex(([source] + parts).joined(separator: "\u{0}"))
    }

    /// `modules` as stored with a version (JSON).
    var modulesJSON: String {
        guard !modules.isEmpty, let data = try? JSONSerialization.data(withJSONObject: modules, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The declared tag name, when the file loads.
    public var name: String? { try? outcome.get().name }
}

/// What a rule declares, without the Lua functions.
public struct RuleSummary: Sendable, Codable, Hashable {
    /// The tag or segment name.
    public var name: String
    /// The title people see.
    public var title: String
    /// The hierarchy path, such as `value/rfm`.
    public var category: String
    /// The owning team or person.
    public var owner: String
    /// The value kind (`flag` for segments).
    public var kind: TagKind
    /// The allowed values of an `enum` tag (empty otherwise).
    public var values: [String]
    /// The refresh cycle as written (`daily at 02:00`, `realtime`, a cron expression...).
    public var refresh: String
    /// The declared feature names.
    public var features: [String]
    /// Whether the file declares a segment.
    public var isSegment: Bool
    /// Whether the file is the identity rules (`rules/identity.lua`).
    public var isIdentity = false
    /// A segment's reach plugins.
    public var reach: [String]
    /// Tags and segments it reads through `m.tags`.
    public var dependencies: [String]
    /// The optional longer description.
    public var description: String?

    init(_ rule: RuleDefinition) {
        isSegment = rule.isSegment
        reach = rule.reach.keys.sorted()
        dependencies = rule.dependencies
        name = rule.name
        title = rule.title
        category = rule.category
        owner = rule.owner
        kind = rule.kind
        values = rule.values
        refresh = rule.refresh
        features = rule.features.map(\.name)
        description = rule.description
    }
}
