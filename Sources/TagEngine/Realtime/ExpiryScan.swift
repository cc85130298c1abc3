import GRDB

/// Finds the members whose feature values can change between two times
/// `from` (exclusive) and `to` (inclusive) without any new data, using the
/// `ts` indexes of `orders` and `events`:
///
/// - a feature with `within = W`: members with a matching row whose `ts` is in
///   `(from - W, to - W]` (the row leaves the window);
/// - every feature: members with a matching row whose `ts` is in `(from, to]`
///   (a row dated in the future enters as time passes);
/// - `days_since` (latest or earliest row): members whose whole-day count
///   differs between `from` and `to`, i.e. whose latest (earliest) matching row
///   `t` has a multiple of 86,400 s after it in `(from, to]`.
///
/// Each member comes with the earliest moment in `(from, to]` at which one of
/// its features changed (a lapse `ts + W`, an entering `ts`, a day boundary),
/// so that the lag of an expiry can be measured. Rows a feature's `where`
/// filters out are ignored: they never affect it.
struct ExpiryScan {
    static let day: Int64 = 86_400
    let from: Int64
    let to: Int64

    /// Candidate members of `specs` with the moment their value may have changed.
    func members(for specs: [FeatureSpec], in db: Database) throws -> [Int64: Int64] {
        guard to > from else { return [:] }
        var found: [Int64: Int64] = [:]
        func add(_ member: Int64, _ moment: Int64) {
            found[member] = min(found[member] ?? moment, moment)
        }
        // One scan per distinct (source, filters) and per distinct (source, filters, window).
        let unwindowed = Set(specs.map { Self.filtersOnly($0) })
        for spec in unwindowed.sorted(by: { "\($0)" < "\($1)" }) {
            for (member, moment) in try rows(spec, after: from, upTo: to, shift: 0, in: db) { add(member, moment) }
        }
        let windowed = Set(specs.compactMap { spec -> FeatureSpec? in
            guard spec.within != nil else { return nil }
            var key = Self.filtersOnly(spec)
            key.within = spec.within
            return key
        })
        for spec in windowed.sorted(by: { "\($0)" < "\($1)" }) {
            let w = spec.within ?? 0
            for (member, moment) in try rows(Self.filtersOnly(spec), after: from - w, upTo: to - w, shift: w, in: db) {
                add(member, moment)
            }
        }
        for spec in Set(specs.filter { $0.function == .daysSinceLast || $0.function == .daysSinceFirst }) {
            for (member, moment) in try dayBoundaries(spec, in: db) { add(member, moment) }
        }
        return found
    }

    /// `spec` reduced to its table and filters (the key of a row scan).
    static func filtersOnly(_ spec: FeatureSpec) -> FeatureSpec {
        FeatureSpec(function: .count, source: spec.source, column: nil, within: nil, filters: spec.filters)
    }

    /// The filters of `spec` as SQL (` AND ...`), binding their values.
    private static func filterSQL(_ spec: FeatureSpec, arguments: inout StatementArguments) -> String {
        FeaturePlan.condition(filtersOnly(spec), asOf: 0, arguments: &arguments).map { " AND \($0)" } ?? ""
    }

    /// Members with a row of `spec` in `(lo, hi]`, with the earliest such `ts + shift`.
    private func rows(_ spec: FeatureSpec, after lo: Int64, upTo hi: Int64, shift: Int64, in db: Database) throws -> [(Int64, Int64)] {
        var arguments: StatementArguments = [lo, hi]
        let filters = Self.filterSQL(spec, arguments: &arguments)
        let sql = "SELECT member_id, min(ts) FROM \(spec.source.rawValue) INDEXED BY \(spec.source.rawValue)_ts_member "
            + "WHERE ts > ? AND ts <= ?\(filters) GROUP BY member_id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0[0], ($0[1] as Int64) + shift) }
    }

    /// Members of a `days_since` feature whose whole-day count changes in `(from, to]`.
    private func dayBoundaries(_ spec: FeatureSpec, in db: Database) throws -> [(Int64, Int64)] {
        let source = spec.source.rawValue
        var candidates: [Int64]?
        if to - from < Self.day {
            // A member's count changes only if its latest (earliest) row `t` has
            // `t + k * day` in `(from, to]` for some k >= 1: `t` is in one of the
            // ranges `(from - k * day, to - k * day]`, each an index range scan.
            guard let oldest = try Int64.fetchOne(db, sql: "SELECT min(ts) FROM \(source)") else { return [] }
            var set = Set<Int64>()
            var unused: StatementArguments = []
            let statement = try db.cachedStatement(
                sql: "SELECT DISTINCT member_id FROM \(source) INDEXED BY \(source)_ts_member WHERE ts > ? AND ts <= ?"
                    + Self.filterSQL(spec, arguments: &unused))
            var k: Int64 = 1
            while to - k * Self.day >= oldest {
                var bound: StatementArguments = [from - k * Self.day, to - k * Self.day]
                _ = Self.filterSQL(spec, arguments: &bound)
                for member in try Int64.fetchAll(statement, arguments: bound) { set.insert(member) }
                k += 1
            }
            if set.isEmpty { return [] }
            candidates = set.sorted()
        }
        // The exact check, per member, on the row the feature reads.
        var arguments: StatementArguments = [to]
        var condition = Self.filterSQL(spec, arguments: &arguments)
        if let w = spec.within {
            condition += " AND ts > ?"
            arguments += [to - w]
        }
        if let candidates { condition += " AND member_id IN (\(candidates.map(String.init).joined(separator: ",")))" }
        let pick = spec.function == .daysSinceLast ? "max(ts)" : "min(ts)"
        var found: [(Int64, Int64)] = []
        let sql = "SELECT member_id, \(pick) FROM \(source) WHERE ts <= ?\(condition) GROUP BY member_id"
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let member: Int64 = row[0]
            let t: Int64 = row[1]
            if t > from { found.append((member, t)); continue }
            let before = (from - t) / Self.day
            if (to - t) / Self.day != before { found.append((member, t + (before + 1) * Self.day)) }
        }
        return found
    }
}
