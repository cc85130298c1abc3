import GRDB

extension TagDistribution.Top {
    /// The ``TagDistribution/keptTop`` most held of `counts`, and the most any other holds.
    init(keeping counts: [String: Int]) { self.init(ordered: TagDistribution.ordered(counts)) }

    /// ``init(keeping:)`` from counts already most held first.
    private init(ordered: [(key: String, value: Int)]) {
        let keep = TagDistribution.keptTop
        self.init(
            counts: Dictionary(uniqueKeysWithValues: ordered.prefix(keep).map { ($0.key, $0.value) }),
            ceiling: ordered.count > keep ? ordered[keep].value : 0)
    }

    /// These counts after a run changed them by `delta` (value: members
    /// gained minus lost), with the top `limit` values, or `nil` when they
    /// no longer tell the top values apart from the values not kept (then
    /// the tag is counted again). A changed value that was not kept is
    /// counted in the store (the index on the tag and value: its own members
    /// only), after the run's writes.
    func updated(by delta: [String: Int], limit: Int = 5, tagID: Int64, in db: Database) throws
        -> (top: Self, values: [RunReport.ValueCount])?
    {
        var exact = counts
        let statement = try db.cachedStatement(sql: "SELECT count(*) FROM member_tags WHERE tag_id = ? AND value = ?")
        for (value, change) in delta where change != 0 {
            if let known = exact[value] {
                exact[value] = known + change
            } else {
                exact[value] = try Int.fetchOne(statement, arguments: [tagID, value]) ?? 0
            }
        }
        let ordered = TagDistribution.ordered(exact)
        var next = Self(ordered: ordered)
        // Values not kept, nor changed, hold at most the old ceiling.
        next.ceiling = Swift.max(next.ceiling, ceiling)
        guard ordered.count >= limit, ordered[limit - 1].value > next.ceiling else { return nil }
        return (next, ordered.prefix(limit).map { RunReport.ValueCount(value: $0.key, count: $0.value) })
    }
}
