extension FeatureTable {
    /// This table with the members of `fresh` replaced (or added, in id
    /// order) by `fresh`'s values, for the columns both have.
    func merging(_ fresh: FeatureTable) -> FeatureTable {
        guard fresh.count > 0 else { return self }
        var ids = ContiguousArray<Int64>()
        ids.reserveCapacity(count + fresh.count)
        // Where each merged member's values come from: (true, i) fresh, (false, i) self.
        var origin = ContiguousArray<(fresh: Bool, index: Int)>()
        origin.reserveCapacity(count + fresh.count)
        var a = 0
        var b = 0
        while a < count || b < fresh.count {
            if b < fresh.count, a >= count || fresh.memberIDs[b] <= memberIDs[a] {
                if a < count, memberIDs[a] == fresh.memberIDs[b] { a += 1 }
                ids.append(fresh.memberIDs[b])
                origin.append((true, b))
                b += 1
            } else {
                ids.append(memberIDs[a])
                origin.append((false, a))
                a += 1
            }
        }
        var merged = FeatureTable(memberIDs: ids, columns: [:], problems: problems.merging(fresh.problems) { $1 })
        for (spec, column) in columns {
            merged.columns[spec] = column.merging(fresh.column(spec), origin: origin)
        }
        return merged
    }

    /// Overwrites the values of `fresh`'s members in place, for the columns
    /// both have, when every one of them is already in the table; returns
    /// whether any value of the `watching` columns changed, or `nil` (and
    /// changes nothing) when `fresh` holds a member this table lacks.
    mutating func patch(_ fresh: FeatureTable, watching: Set<FeatureSpec>) -> Bool? {
        var indexes: [Int] = []
        indexes.reserveCapacity(fresh.count)
        for id in fresh.memberIDs {
            guard let index = index(of: id) else { return nil }
            indexes.append(index)
        }
        var moved = false
        for spec in Array(columns.keys) {
            guard var column = columns.removeValue(forKey: spec) else { continue }  // uniquely held: patched in place
            if column.patch(fresh.column(spec), at: indexes), watching.contains(spec) { moved = true }
            columns[spec] = column
        }
        return moved
    }

    /// This table without the members `ids`.
    func removing(_ ids: Set<Int64>) -> FeatureTable {
        let keep = memberIDs.indices.filter { !ids.contains(memberIDs[$0]) }
        var table = FeatureTable(memberIDs: ContiguousArray(keep.map { memberIDs[$0] }), columns: [:])
        for (spec, column) in columns { table.columns[spec] = column.picking(keep) }
        return table
    }

    /// The index of store id `id`, if the member is in the table.
    func index(of id: Int64) -> Int? {
        var low = 0
        var high = memberIDs.count
        while low < high {
            let mid = (low + high) / 2
            if memberIDs[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < memberIDs.count && memberIDs[low] == id ? low : nil
    }
}

extension FeatureColumn {
    /// Values picked from `self` or `fresh` by `origin`.
    func merging(_ fresh: FeatureColumn, origin: ContiguousArray<(fresh: Bool, index: Int)>) -> FeatureColumn {
        switch (self, fresh) {
        case (.numeric(let type, let old), .numeric(_, let new)):
            return .numeric(type, ContiguousArray(origin.map { $0.fresh ? new[$0.index] : old[$0.index] }))
        case (.numeric(let type, _), .compact), (.compact(let type, _), .numeric), (.compact(let type, _), .compact):
            let values = ContiguousArray(origin.map { $0.fresh ? fresh.double(at: $0.index) : double(at: $0.index) })
            return .numbers(type, values, compact: true)
        case (.text(let oldCodes, let oldWords), .text(let newCodes, let newWords)):
            var words = oldWords
            var dictionary = Dictionary(uniqueKeysWithValues: oldWords.enumerated().map { ($1, Int32($0)) })
            let remap = newWords.map { FeatureComputer.code(of: $0, dictionary: &dictionary, words: &words) }
            let codes = origin.map { pick -> Int32 in
                if !pick.fresh { return oldCodes[pick.index] }
                let code = newCodes[pick.index]
                return code < 0 ? -1 : remap[Int(code)]
            }
            return .text(ContiguousArray(codes), dictionary: words)
        default:
            return fresh
        }
    }

    /// Sets member `indexes[j]` to `fresh`'s member `j`, in place; returns whether any value changed.
    mutating func patch(_ fresh: FeatureColumn, at indexes: [Int]) -> Bool {
        var changed = false
        if case .compact = self, fresh.isNumeric {
            for (j, i) in indexes.enumerated() {
                let (old, new) = (double(at: i), fresh.double(at: j))
                if !(old == new || (old.isNaN && new.isNaN)) {
                    setNumber(new, at: i)  // widened when the new value needs 8 bytes
                    changed = true
                }
            }
        } else if case .numeric(let type, var values) = self, case .compact = fresh {
            self = .numeric(type, [])
            for (j, i) in indexes.enumerated() {
                let new = fresh.double(at: j)
                if !(values[i] == new || (values[i].isNaN && new.isNaN)) {
                    values[i] = new
                    changed = true
                }
            }
            self = .numeric(type, values)
        } else if case .numeric(let type, var values) = self, case .numeric(_, let new) = fresh {
            self = .numeric(type, [])  // drop the second reference before writing
            for (j, i) in indexes.enumerated() where !(values[i] == new[j] || (values[i].isNaN && new[j].isNaN)) {
                values[i] = new[j]
                changed = true
            }
            self = .numeric(type, values)
        } else if case .text(var codes, var words) = self, case .text(let newCodes, let newWords) = fresh {
            self = .text([], dictionary: [])
            var dictionary = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, Int32($0)) })
            let remap = newWords.map { FeatureComputer.code(of: $0, dictionary: &dictionary, words: &words) }
            for (j, i) in indexes.enumerated() {
                let code = newCodes[j] < 0 ? Int32(-1) : remap[Int(newCodes[j])]
                if codes[i] != code {
                    codes[i] = code
                    changed = true
                }
            }
            self = .text(codes, dictionary: words)
        } else {
            changed = true
            self = fresh
        }
        return changed
    }

    /// The values at `indexes`, in that order.
    func picking(_ indexes: [Int]) -> FeatureColumn {
        switch self {
        case .numeric(let type, let values): .numeric(type, ContiguousArray(indexes.map { values[$0] }))
        case .compact(let type, let values): .compact(type, ContiguousArray(indexes.map { values[$0] }))
        case .text(let codes, let words): .text(ContiguousArray(indexes.map { codes[$0] }), dictionary: words)
        }
    }

    /// Whether member `i` of `self` and member `j` of `other` hold the same value.
    func sameValue(at i: Int, as other: FeatureColumn, at j: Int) -> Bool {
        switch (self, other) {
        case (.numeric(_, let a), .numeric(_, let b)):
            return a[i] == b[j] || (a[i].isNaN && b[j].isNaN)
        case (.numeric, .compact), (.compact, .numeric), (.compact, .compact):
            let (a, b) = (double(at: i), other.double(at: j))
            return a == b || (a.isNaN && b.isNaN)
        case (.text, .text):
            return text(at: i) == other.text(at: j)
        default:
            return false
        }
    }
}
