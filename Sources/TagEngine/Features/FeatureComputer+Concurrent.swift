import Foundation
import GRDB

extension FeatureComputer {
    /// Computes every member's features with the plan's queries running side
    /// by side, each on its own reader of `pool` (one core per table scan).
    func computeConcurrently(_ features: Set<FeatureSpec>, pool: DatabasePool) throws -> FeatureTable {
        let ids = try pool.read { db in try ContiguousArray(Int64.fetchCursor(db, sql: Self.liveMembersSQL)) }
        let queries = FeaturePlan(features: features, asOf: asOf).queries
        let results = Results<FeatureTable>(count: queries.count)
        DispatchQueue.concurrentPerform(iterations: queries.count) { i in
            let query = queries[i]
            results.set(i, Result {
                try pool.read { db in
                    var part = FeatureTable(memberIDs: ids, columns: [:])
                    for spec in query.features { part.columns[spec] = FeatureColumn(spec: spec, count: ids.count) }
                    if query.isMode {
                        try fillMode(query, table: &part, in: db)
                    } else {
                        try fill(query, table: &part, in: db)
                    }
                    return part
                }
            })
        }
        var table = FeatureTable(memberIDs: ids, columns: [:])
        for result in results.all {
            let part = try result.get()
            for (spec, column) in part.columns { table.columns[spec] = column }
            table.problems.merge(part.problems) { old, _ in old }
        }
        // Columns no query fills stay empty (allocated only for them).
        for spec in features where table.columns[spec] == nil { table.columns[spec] = FeatureColumn(spec: spec, count: ids.count) }
        return table
    }
}

/// Per-index results written from concurrent workers.
final class Results<Value>: @unchecked Sendable {
    private var values: [Result<Value, any Error>?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Value, any Error>) { lock.withLock { values[index] = value } }

    /// Every result, in index order (missing ones as failures).
    var all: [Result<Value, any Error>] {
        lock.withLock { values.map { $0 ?? .failure(RunError.store("a worker produced no result")) } }
    }
}
