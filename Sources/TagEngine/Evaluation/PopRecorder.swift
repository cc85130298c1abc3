import LuaHost

/// Collects a ``PopRecording`` while a rule is evaluated, member by member in
/// ascending index order (``begin(member:)`` before each member's call).
final class PopRecorder {
    /// Questions beyond this many distinct keys (a rule asking about
    /// computed parameters) are not recorded: the next run evaluates everyone.
    static let keyLimit = Int(UInt16.max)

    private var keyIndex: [PopRecording.Key: UInt16] = [:]
    private var keys: [PopRecording.Key] = []
    private var members = ContiguousArray<Int32>()
    /// `starts[i]`: first entry of `members[i]`.
    private var starts = ContiguousArray<Int32>()
    private var keyIDs = ContiguousArray<UInt16>()
    private var values = ContiguousArray<Double>()
    private var answers = ContiguousArray<Double>()
    private var constants: Set<PopRecording.Constant> = []
    /// Something was asked that cannot be replayed.
    private(set) var isComplete = true

    /// Starts the entries of member `index` (ascending).
    func begin(member index: Int) {
        members.append(Int32(truncatingIfNeeded: index))
        starts.append(Int32(truncatingIfNeeded: keyIDs.count))
    }

    /// A question asked for the current member.
    func record(_ question: PopQuestion, feature: String, value: Double, parameter: Double, answer: Double?) {
        let key = PopRecording.Key(question: question, feature: feature, parameter: parameter)
        guard let id = keyIndex[key] ?? newKey(key) else { return }
        keyIDs.append(id)
        values.append(value)
        answers.append(answer ?? .nan)
    }

    /// A constant statistic read.
    func record(constant arguments: [LuaValue], answer: [LuaValue]) {
        guard (arguments + answer).allSatisfy(\.isScalar) else { isComplete = false; return }
        constants.insert(PopRecording.Constant(arguments: arguments, answer: answer))
    }

    private func newKey(_ key: PopRecording.Key) -> UInt16? {
        guard keys.count < Self.keyLimit else { isComplete = false; return nil }
        let id = UInt16(keys.count)
        keys.append(key)
        keyIndex[key] = id
        return id
    }

    /// The recording over a table of `count` members: the members recorded
    /// here, and every other member's entries from `previous` (at the index
    /// `previousIndex` gives), or `nil` when a replay would not be exact.
    ///
    /// `aligned`: member `i` of the table is member `i` of `previous` (no
    /// member joined or left), so the members not evaluated are copied over
    /// in runs between the evaluated ones, not entry by entry.
    func recording(count: Int, previous: PopRecording?, aligned: Bool = false, previousIndex: (Int) -> Int?) -> PopRecording? {
        guard isComplete, keyIDs.count < Int(Int32.max), count < Int(Int32.max) else { return nil }
        var result = PopRecording()
        result.keys = keys
        result.constants = Array(constants)
        if members.count == count, previous == nil {
            // Every member was evaluated, in order: the entries are the recording as they are.
            result.offsets = starts
            result.offsets.append(Int32(keyIDs.count))
            result.keyIDs = keyIDs
            result.values = values
            result.answers = answers
            return result
        }
        var ids = keyIndex
        var map: [UInt16] = []  // previous key id -> result key id
        if let previous {
            for key in previous.keys {
                if let id = ids[key] {
                    map.append(id)
                } else {
                    guard result.keys.count < Self.keyLimit else { return nil }
                    let id = UInt16(result.keys.count)
                    result.keys.append(key)
                    ids[key] = id
                    map.append(id)
                }
            }
            result.constants = Array(constants.union(previous.constants))
        }
        result.offsets.reserveCapacity(count + 1)
        if let previous, aligned, previous.count == count {
            return copying(previous, map: map, into: result)
        }
        var next = 0  // position in `members`
        for index in 0..<count {
            if next < members.count, Int(members[next]) == index {
                let end = next + 1 < starts.count ? Int(starts[next + 1]) : keyIDs.count
                for entry in Int(starts[next])..<end {
                    result.keyIDs.append(keyIDs[entry])
                    result.values.append(values[entry])
                    result.answers.append(answers[entry])
                }
                next += 1
            } else if let previous, let before = previousIndex(index), before < previous.count {
                for entry in previous.entries(of: before) {
                    result.keyIDs.append(map[Int(previous.keyIDs[entry])])
                    result.values.append(previous.values[entry])
                    result.answers.append(previous.answers[entry])
                }
            }
            guard result.keyIDs.count < Int(Int32.max) else { return nil }
            result.offsets.append(Int32(result.keyIDs.count))
        }
        return result
    }
}

extension PopRecorder {
    /// ``recording(count:previous:aligned:previousIndex:)`` over the same
    /// members as `previous` (no member joined or left), made by patching
    /// `previous` where it lies (``PopRecording/replace(_:)``): the members
    /// recorded here get their new entries, the others keep theirs without
    /// a copy when `previous` is held only here. `nil` when a replay would
    /// not be exact.
    func recording(patching previous: consuming PopRecording) -> PopRecording? {
        guard isComplete, keyIDs.count < Int(Int32.max) else { return nil }
        var result = previous
        var overrides: [(index: Int, entries: [PopRecording.Entry])] = []
        overrides.reserveCapacity(members.count)
        for (position, member) in members.enumerated() {
            let end = position + 1 < starts.count ? Int(starts[position + 1]) : keyIDs.count
            overrides.append((Int(member), (Int(starts[position])..<end).map { (keys[Int(keyIDs[$0])], values[$0], answers[$0]) }))
        }
        guard (try? result.replace(overrides)) != nil, result.keys.count <= Self.keyLimit else { return nil }
        // The same constants keep their order (snapshot rows need them unchanged).
        if !constants.isSubset(of: Set(result.constants)) { result.constants = Array(constants.union(result.constants)) }
        return result.keyIDs.count < Int(Int32.max) ? result : nil
    }
}

extension PopRecorder {
    /// ``recording(count:previous:aligned:previousIndex:)`` over the same
    /// members as `previous`: its entries copied in runs between the members
    /// recorded here, keys renumbered by `map`.
    private func copying(_ previous: PopRecording, map: [UInt16], into start: PopRecording) -> PopRecording? {
        var result = start
        let sameKeys = map.indices.allSatisfy { Int(map[$0]) == $0 }
        let capacity = previous.keyIDs.count + keyIDs.count
        result.keyIDs.reserveCapacity(capacity)
        result.values.reserveCapacity(capacity)
        result.answers.reserveCapacity(capacity)
        var from = 0  // the next member to copy from `previous`
        func copy(upTo end: Int) {
            guard from < end else { return }
            let entries = Int(previous.offsets[from])..<Int(previous.offsets[end])
            let shift = Int32(result.keyIDs.count) - previous.offsets[from]
            if sameKeys {
                result.keyIDs.append(contentsOf: previous.keyIDs[entries])
            } else {
                result.keyIDs.append(contentsOf: previous.keyIDs[entries].lazy.map { map[Int($0)] })
            }
            result.values.append(contentsOf: previous.values[entries])
            result.answers.append(contentsOf: previous.answers[entries])
            result.offsets.append(contentsOf: previous.offsets[(from + 1)...end].lazy.map { $0 + shift })
            from = end
        }
        for (position, member) in members.enumerated() {
            let index = Int(member)
            copy(upTo: index)
            let end = position + 1 < starts.count ? Int(starts[position + 1]) : keyIDs.count
            let entries = Int(starts[position])..<end
            result.keyIDs.append(contentsOf: keyIDs[entries])
            result.values.append(contentsOf: values[entries])
            result.answers.append(contentsOf: answers[entries])
            result.offsets.append(Int32(result.keyIDs.count))
            from = index + 1
        }
        copy(upTo: previous.count)
        return result.keyIDs.count < Int(Int32.max) ? result : nil
    }
}

extension LuaValue {
    /// Whether this is nil, a boolean, a number or a string.
    var isScalar: Bool {
        switch self {
        case .nil, .bool, .integer, .number, .string: return true
        default: return false
        }
    }
}
