import Foundation

/// The one full feature pass of a run, computed by the first rule that
/// needs it (rules with a usable snapshot never do) and shared by the rest.
///
/// It holds a column per feature of every rule still to finish, so it is
/// let go once, as soon as the rules known to need it (a new version, no
/// snapshot, `--full`) have finished: the incremental rules after them
/// then run without it. A rule that turns out to need it later (a damaged
/// snapshot, most members changed) makes it again, for the rules not yet
/// finished, and that one is kept to the end of the run (so that a store
/// where most members changed still makes one pass, not one per rule).
final class SharedTable: @unchecked Sendable {
    private let lock = NSLock()
    private var table: FeatureTable?
    private var computed = false
    private var released = false
    /// The features of each rule not finished yet, by name.
    private var remaining: [String: Set<FeatureSpec>]
    /// The rules known to need the pass that have not finished.
    private var expected: Set<String>
    private let make: (Set<FeatureSpec>) throws -> FeatureTable

    /// - Parameters:
    ///   - features: every rule's features, by rule name.
    ///   - expected: the rules that will need the pass.
    ///   - make: computes the pass over the given features.
    init(features: [String: Set<FeatureSpec>], expected: Set<String>, make: @escaping (Set<FeatureSpec>) throws -> FeatureTable) {
        remaining = features
        self.expected = expected
        self.make = make
    }

    /// Whether a rule needed the full pass.
    var wasComputed: Bool { lock.withLock { computed } }

    /// The table, computed on first use (other callers wait for it) over
    /// the features of every rule not finished yet.
    func get() throws -> FeatureTable {
        try lock.withLock {
            if let table { return table }
            let made = try make(remaining.values.reduce(into: Set<FeatureSpec>()) { $0.formUnion($1) })
            table = made
            computed = true
            return made
        }
    }

    /// Rule `name` finished: once every rule known to need the pass has,
    /// the table is let go.
    func finished(_ name: String) {
        lock.withLock {
            remaining[name] = nil
            expected.remove(name)
            if expected.isEmpty, !released {
                table = nil
                released = true
            }
        }
    }
}
