import LuaHost

/// A parsed tag rule: what a file in `rules/` declares.
///
/// The functions (`evaluate`, `population`) live in the ``LuaState`` that
/// loaded the file and are only valid there.
public struct RuleDefinition: Sendable {
    /// The tag name (`[a-z][a-z0-9_]*`), unique across the rules directory.
    public var name: String
    /// A human title.
    public var title: String
    /// The hierarchy path, such as `value/rfm`.
    public var category: String
    /// The team or person who owns the tag.
    public var owner: String
    /// The value kind.
    public var kind: TagKind
    /// The allowed values of an `enum` tag, in declared order.
    public var values: [String]
    /// The refresh cycle as declared (`daily at 02:00`, `realtime`, a cron expression...).
    public var refresh: String
    /// How often a realtime tag's population statistics (`pop`) are
    /// recomputed by a full run (`pop_refresh`, a refresh cycle such as
    /// `daily`, `hourly`, `every 15m`; default `daily`). Ignored by scheduled tags.
    public var popRefresh: String = "daily"
    /// How often the BG/NBD fit of the rule's model features is redone
    /// (`refit`, a cycle such as `daily`, `weekly` as a cron expression,
    /// `hourly`; default `daily`): runs inside one cycle predict with the
    /// stored fit (``ModelFits``).
    public var refit: String = "daily"
    /// Optional longer description.
    public var description: String?
    /// The declared features, by name, in name order.
    public var features: [(name: String, spec: FeatureSpec)]
    /// The declared model features (`p_alive`...), by name, in name order:
    /// fitted over the population at each run, so `population(m)` does not see them.
    public var models: [(name: String, model: ModelFeature)] = []
    /// `evaluate(m, pop)`.
    public var evaluate: LuaRef
    /// Optional `population(m)`: which members the statistics and `evaluate` consider.
    public var population: LuaRef?
    /// Derived statistics (`stats = { name = function(pop) ... end }`), by
    /// name in name order: computed once per run from `pop`, and compared
    /// with like `"mean"` (`pop.at_most("f", m.f, "name")`), so a refresh
    /// re-evaluates only the members whose comparisons moved.
    public var statistics: [(name: String, function: LuaRef)] = []
    /// The file the rule came from, relative to the rules directory.
    public var file: String
    /// The line of the `tag "name"` declaration.
    public var line: Int
    /// Whether `evaluate` reads `m.attr` (the host then loads member attributes).
    public var usesAttributes: Bool
    /// Whether `evaluate` reads `m.id` (the host then streams member rows).
    public var usesID: Bool = false
    /// Tags the rule reads through `m.tags` (see ``RuleDependencies``).
    public var dependencies: [String]
    /// Whether this is a segment (its `where` is the evaluate function and
    /// its value is membership).
    public var isSegment: Bool = false
    /// A segment's reach plugins with their raw configuration, by plugin name.
    public var reach: [String: LuaValue] = [:]
}
