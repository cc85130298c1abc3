/// Identity rows an import has attached to members but not yet written to
/// `identities`: a hash table of (channel, value) -> member and, per
/// member, the list of its pending rows.
///
/// An import of many new members stores some 2 identities per record;
/// written one by one they cost two random B-tree inserts each (the
/// primary key and the `identities_member` index). Held here they are
/// written once at the end, sorted by primary key (appends, not seeks),
/// and the writer answers its look-ups from memory: by value
/// (``holder(channel:value:hash:)``, which also knows the identities the
/// import wrote to the store, so the Bloom filter need only hold those
/// stored before), by member and channel
/// (``count(of:channel:)``), and a member's rows are written at once when
/// a merge is about to read the member's identities in the store
/// (``take(_:)``). Two members whose rows are all here merge here
/// (``move(from:to:)``): the absorbed member's rows change hands and
/// remember it as their origin, as the merge's `UPDATE` would in the store.
struct PendingIdentities {
    /// Each row's value, channel (index in ``channels``), member (0 once
    /// written by ``take(_:)``), origin (the member it came from by a merge,
    /// or 0) and the member's previous pending row (or -1).
    private(set) var values: [String] = []
    private var channelOf: [UInt32] = []
    private(set) var members: [Int64] = []
    private(set) var origins: [Int64] = []
    private var previous: [Int32] = []
    /// Channel names by index.
    private(set) var channels: [String] = []
    private var channelIndex: [String: UInt32] = [:]
    /// Open addressing: 0 empty, else the high 32 bits of the hash and the row index + 1.
    private var slots: [UInt64]
    /// The newest pending row of each member created by the import (row id `firstNew` + index), or -1.
    private var newestOfNew: [Int32] = []
    /// The newest pending row of every other member (stored before the import).
    private var newestOfOthers: [Int64: Int32] = [:]
    /// Members with this row id or a higher one were created by the import.
    let firstNew: Int64
    /// Rows not written yet.
    private(set) var count = 0

    /// An empty table sized for about `expected` rows; members with a row id of `firstNew` or more are the import's.
    init(firstNew: Int64, expected: Int = 0) {
        self.firstNew = firstNew
        var count = 1 << 16
        while count < min(max(expected, 0), 1 << 26) * 2 { count <<= 1 }
        slots = [UInt64](repeating: 0, count: count)
    }

    /// Where an identity written by the import is.
    enum Holder: Equatable {
        /// Pending for this member.
        case pending(Int64)
        /// In the store (written since the import began).
        case written
        /// Not written by the import.
        case absent
    }

    /// Where the import put an identity.
    func holder(channel: String, value: String, hash: UInt64) -> Holder {
        let mask = slots.count - 1
        let tag = hash >> 32
        var slot = Self.position(tag) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return .absent }
            if entry >> 32 == tag {
                let row = Int(truncatingIfNeeded: entry & 0xffff_ffff) - 1
                if values[row] == value, channels[Int(channelOf[row])] == channel {
                    let member = members[row]
                    return member == 0 ? .written : .pending(member)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The member a pending identity is held by, or `nil` when it is not pending.
    func owner(channel: String, value: String, hash: UInt64) -> Int64? {
        if case .pending(let member) = holder(channel: channel, value: value, hash: hash) { return member }
        return nil
    }

    /// Notes an identity the import wrote to the store itself (``holder(channel:value:hash:)`` answers `.written`).
    mutating func noteWritten(channel: String, value: String, hash: UInt64) {
        guard holder(channel: channel, value: value, hash: hash) == .absent else { return }
        append(channel: channel, value: value, member: 0, hash: hash)
    }

    /// Holds an identity for `member` (one neither stored nor pending).
    mutating func add(channel: String, value: String, member: Int64, hash: UInt64) {
        let row = append(channel: channel, value: value, member: member, hash: hash)
        previous[Int(row)] = newest(of: member)
        setNewest(row, of: member)
        count += 1
    }

    @discardableResult
    private mutating func append(channel: String, value: String, member: Int64, hash: UInt64) -> Int32 {
        if (values.count + 1) * 2 > slots.count { grow() }
        let row = Int32(values.count)
        values.append(value)
        channelOf.append(index(of: channel))
        members.append(member)
        origins.append(0)
        previous.append(-1)
        place(hash >> 32, row: row)
        return row
    }

    /// How many values of `channel` are pending for `member`.
    func count(of member: Int64, channel: String) -> Int {
        var n = 0
        var row = newest(of: member)
        while row >= 0 {
            if channels[Int(channelOf[Int(row)])] == channel { n += 1 }
            row = previous[Int(row)]
        }
        return n
    }

    /// How many values of each channel are pending for `a` and `b` together.
    func counts(of a: Int64, _ b: Int64) -> [String: Int] {
        var counts: [String: Int] = [:]
        for member in a == b ? [a] : [a, b] {
            var row = newest(of: member)
            while row >= 0 {
                counts[channels[Int(channelOf[Int(row)])], default: 0] += 1
                row = previous[Int(row)]
            }
        }
        return counts
    }

    /// Hands every pending row of `absorbed` to `survivor`, each keeping
    /// the member it first came from (its origin, `absorbed` unless it had one).
    mutating func move(from absorbed: Int64, to survivor: Int64) {
        var row = newest(of: absorbed)
        guard row >= 0 else { return }
        let newestMoved = row
        setNewest(-1, of: absorbed)
        while true {
            let index = Int(row)
            members[index] = survivor
            if origins[index] == 0 { origins[index] = absorbed }
            // The oldest moved row continues with the survivor's own list.
            guard previous[index] >= 0 else {
                previous[index] = newest(of: survivor)
                break
            }
            row = previous[index]
        }
        setNewest(newestMoved, of: survivor)
    }

    /// Removes `member`'s pending rows (the caller writes them) and returns them as (channel, value, origin or 0).
    mutating func take(_ member: Int64) -> [(channel: String, value: String, origin: Int64)] {
        var row = newest(of: member)
        guard row >= 0 else { return [] }
        setNewest(-1, of: member)
        var taken: [(channel: String, value: String, origin: Int64)] = []
        while row >= 0 {
            taken.append((channels[Int(channelOf[Int(row)])], values[Int(row)], origins[Int(row)]))
            members[Int(row)] = 0
            row = previous[Int(row)]
        }
        count -= taken.count
        return taken
    }

    /// The channel of row `row`.
    func channel(ofRow row: Int) -> String {
        channels[Int(channelOf[row])]
    }

    /// The rows not written yet, ordered as SQLite orders the primary key
    /// (channel, then value, by their UTF-8 bytes), as row indexes.
    func sortedRows() -> [Int32] {
        let channelOrder = channels.indices.sorted { channels[$0].utf8.lexicographicallyPrecedes(channels[$1].utf8) }
        var rank = [UInt32](repeating: 0, count: channels.count)
        for (position, channel) in channelOrder.enumerated() { rank[channel] = UInt32(position) }
        // Sort on the channel and the first 16 bytes of the value; rows equal in those are ordered by all their bytes.
        var keys: [SortKey] = []
        keys.reserveCapacity(count)
        for row in values.indices where members[row] != 0 {
            let (high, low) = Self.prefix(values[row])
            keys.append(SortKey(rank: rank[Int(channelOf[row])], row: Int32(row), high: high, low: low))
        }
        keys.sort { ($0.rank, $0.high, $0.low) < ($1.rank, $1.high, $1.low) }
        var sorted = keys.map(\.row)
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count, keys[end].sameKey(as: keys[start]) { end += 1 }
            if end - start > 1 {
                sorted[start..<end].sort { values[Int($0)].utf8.lexicographicallyPrecedes(values[Int($1)].utf8) }
            }
            start = end
        }
        return sorted
    }

    private struct SortKey {
        let rank: UInt32
        let row: Int32
        let high: UInt64
        let low: UInt64

        func sameKey(as other: SortKey) -> Bool { rank == other.rank && high == other.high && low == other.low }
    }

    private func newest(of member: Int64) -> Int32 {
        let index = member - firstNew
        if index >= 0, index < newestOfNew.count { return newestOfNew[Int(index)] }
        return newestOfOthers[member] ?? -1
    }

    private mutating func setNewest(_ row: Int32, of member: Int64) {
        let index = member - firstNew
        // The import's members get consecutive row ids; any other member is kept in the dictionary.
        guard index >= 0, index < newestOfNew.count + 4_096 else {
            newestOfOthers[member] = row >= 0 ? row : nil
            return
        }
        while newestOfNew.count <= index {
            let grown = firstNew + Int64(newestOfNew.count)
            newestOfNew.append(newestOfOthers.isEmpty ? -1 : newestOfOthers.removeValue(forKey: grown) ?? -1)
        }
        newestOfNew[Int(index)] = row
    }

    private mutating func index(of channel: String) -> UInt32 {
        // An import names a few channels; a hostile one may name many.
        if channels.count <= 16, let index = channels.firstIndex(of: channel) { return UInt32(index) }
        if let index = channelIndex[channel] { return index }
        let index = UInt32(channels.count)
        channels.append(channel)
        channelIndex[channel] = index
        return index
    }

    private mutating func place(_ tag: UInt64, row: Int32) {
        let mask = slots.count - 1
        var slot = Self.position(tag) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = tag << 32 | UInt64(row + 1)
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        for entry in old where entry != 0 {
            place(entry >> 32, row: Int32(truncatingIfNeeded: entry & 0xffff_ffff) - 1)
        }
    }

    /// The slot a hash's high 32 bits (kept in the slot as its tag) start probing at.
    private static func position(_ tag: UInt64) -> Int {
        Int(truncatingIfNeeded: tag &* 0x9e37_79b9)
    }

    /// The first 16 bytes of `value`, big-endian, zero-padded.
    private static func prefix(_ value: String) -> (UInt64, UInt64) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = 0
        for byte in value.utf8 {
            if index < 8 {
                high |= UInt64(byte) << (56 - 8 * index)
            } else if index < 16 {
                low |= UInt64(byte) << (56 - 8 * (index - 8))
            } else {
                break
            }
            index += 1
        }
        return (high, low)
    }
}
