import GRDB

/// Compares each member's new value with the live one (loaded once, ordered
/// by member) and counts coverage, value distribution, gains, losses and
/// changes. ``RunWriter`` and plans build on it.
struct ChangeTracker {
    /// A member whose value differs from the live one.
    enum Change: String, Sendable { case gained, lost, changed }

    private var liveIDs: ContiguousArray<Int64> = []
    private var liveValues: [String] = []
    private var cursor = 0
    private(set) var members = 0
    private(set) var covered = 0
    private(set) var gained = 0
    private(set) var lost = 0
    private(set) var changed = 0
    private(set) var distribution: [String: Int] = [:]
    /// How each value's count moved: +1 for a member gaining it, -1 for one losing it.
    private(set) var delta: [String: Int] = [:]

    /// Loads the live values of tag `tagID` (none for a tag that never ran),
    /// of every member or only of store ids `members`.
    init(tagID: Int64?, members: [Int64]? = nil, in db: Database) throws {
        guard let tagID else { return }
        let filter = members.map { " AND member_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let rows = try Row.fetchCursor(
            db, sql: "SELECT member_id, value FROM member_tags WHERE tag_id = ?\(filter) ORDER BY member_id", arguments: [tagID])
        while let row = try rows.next() {
            liveIDs.append(row[0])
            liveValues.append(row[1])
        }
    }

    /// Records member `id`'s new value; returns the change and the old value, if any.
    mutating func record(member id: Int64, value: String?) -> (Change, old: String?)? {
        members += 1
        if let value {
            covered += 1
            distribution[value, default: 0] += 1
        }
        while cursor < liveIDs.count, liveIDs[cursor] < id { cursor += 1 }
        let old = cursor < liveIDs.count && liveIDs[cursor] == id ? liveValues[cursor] : nil
        switch (old, value) {
        case (nil, nil): return nil
        case (nil, .some(let n)):
            gained += 1
            delta[n, default: 0] += 1
            return (.gained, nil)
        case (.some(let o), nil):
            lost += 1
            delta[o, default: 0] -= 1
            return (.lost, old)
        case (.some(let o), .some(let n)):
            if o == n { return nil }
            changed += 1
            delta[n, default: 0] += 1
            delta[o, default: 0] -= 1
            return (.changed, o)
        }
    }

    /// Values by descending count.
    var sortedDistribution: [(value: String, count: Int)] {
        distribution.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }
}
