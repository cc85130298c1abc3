import Foundation

/// The features an incremental run re-computed for its changed members,
/// shared by the rules of the run that ask for the same features of the same
/// members (`rfm_class` and `rfm_score` read one R, F and M over the same
/// changed members): the first to ask computes them, the others wait for its
/// table and query nothing.
///
/// Sharing is exact: every rule of a run counts changes up to the run's one
/// change-log mark, so two rules with the same changed members ask for the
/// same rows, and whatever arrives after the mark is seen again by the next
/// run. A computation that fails is not kept; the next rule computes again.
/// A table is kept only while a rule that has not finished reads the same
/// features, so a rule whose features no other rule shares keeps nothing.
final class FreshFeatures: @unchecked Sendable {
    /// What was asked: the features and the members.
    struct Key: Hashable {
        var specs: Set<FeatureSpec>
        var members: Set<Int64>
    }

    /// One computation, made once; its lock is held while it runs.
    private final class Cell: @unchecked Sendable {
        let lock = NSLock()
        var table: FeatureTable?
    }

    private let lock = NSLock()
    private var cells: [Key: Cell] = [:]
    /// The features of each rule not finished yet, by name.
    private var remaining: [String: Set<FeatureSpec>]
    /// How many asks were answered from another rule's computation.
    private(set) var shared = 0

    /// - Parameter features: every rule's features, by rule name.
    init(features: [String: Set<FeatureSpec>]) {
        remaining = features
    }

    /// The features `specs` of `members` for rule `rule`, from an earlier
    /// identical ask of this run or from `compute` (callers with the same
    /// key wait for it).
    func table(
        rule: String, specs: Set<FeatureSpec>, members: Set<Int64>, compute: () throws -> FeatureTable
    ) throws -> FeatureTable {
        let key = Key(specs: specs, members: members)
        let cell: Cell? = lock.withLock {
            if let cell = cells[key] { return cell }
            guard remaining.contains(where: { $0.key != rule && $0.value == specs }) else { return nil }
            let cell = Cell()
            cells[key] = cell
            return cell
        }
        guard let cell else { return try compute() }  // no other rule reads these features
        return try cell.lock.withLock {
            if let table = cell.table {
                lock.withLock { shared += 1 }
                return table
            }
            let table = try compute()
            cell.table = table
            return table
        }
    }

    /// Rule `name` finished: the tables no unfinished rule can ask for are let go.
    func finished(_ name: String) {
        lock.withLock {
            remaining[name] = nil
            let wanted = Set(remaining.values)
            cells = cells.filter { wanted.contains($0.key.specs) }
        }
    }
}
