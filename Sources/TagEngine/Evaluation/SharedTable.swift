import Foundation

/// The one full feature pass of a run, computed by the first rule that
/// needs it (rules with a usable snapshot never do) and shared by the rest.
final class SharedTable: @unchecked Sendable {
    private let lock = NSLock()
    private var table: FeatureTable?
    private let make: () throws -> FeatureTable

    init(_ make: @escaping () throws -> FeatureTable) { self.make = make }

    /// Whether a rule needed the full pass.
    var wasComputed: Bool { lock.withLock { table != nil } }

    /// The table, computed on first use (other callers wait for it).
    func get() throws -> FeatureTable {
        try lock.withLock {
            if let table { return table }
            let computed = try make()
            table = computed
            return computed
        }
    }
}
