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
    func recording(count: Int, previous: PopRecording?, previousIndex: (Int) -> Int?) -> PopRecording? {
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

extension LuaValue {
    /// Whether this is nil, a boolean, a number or a string.
    var isScalar: Bool {
        switch self {
        case .nil, .bool, .integer, .number, .string: return true
        default: return false
        }
    }
}
