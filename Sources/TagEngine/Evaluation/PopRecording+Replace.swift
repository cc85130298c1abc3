extension PopRecording {
    /// One member's entries as a snapshot row holds them.
    typealias Entry = (key: Key, value: Double, answer: Double)

    /// Replaces the entries of the members in `overrides` (by index,
    /// ascending; indexes past the recording are ignored), in place: a member asked more or fewer questions than
    /// before moves the entries after it, each run of untouched members'
    /// entries once (`memmove`), so loading a snapshot with rows copies no
    /// recording of millions of entries. Throws ``SnapshotCoding/Corrupt``
    /// past 65,536 distinct questions.
    mutating func replace(_ overrides: [(index: Int, entries: [Entry])]) throws {
        var keyIndex = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let overrides = overrides.filter { $0.index < count }
        guard zip(overrides, overrides.dropFirst()).allSatisfy({ $0.index < $1.index }) else { throw SnapshotCoding.Corrupt() }
        let members = overrides.map(\.index)
        // Where each run of untouched entries goes: its old start, length and shift.
        var runs: [(start: Int, length: Int, shift: Int)] = []
        let before = members.map { entries(of: $0).count }
        var shift = 0
        var next = 0  // the first member after the last override
        for (override, old) in zip(overrides, before) {
            let member = override.index
            let start = Int(offsets[next])
            runs.append((start, Int(offsets[member]) - start, shift))
            shift += override.entries.count - old
            next = member + 1
        }
        runs.append((Int(offsets[next]), Int(offsets[count]) - Int(offsets[next]), shift))
        let total = keyIDs.count + shift
        guard total < Int(Int32.max) else { throw SnapshotCoding.Corrupt() }
        if shift > 0 {
            keyIDs.append(contentsOf: repeatElement(0, count: shift))
            values.append(contentsOf: repeatElement(0, count: shift))
            answers.append(contentsOf: repeatElement(0, count: shift))
        }
        // Runs moving left go first, left to right; then those moving right,
        // right to left: no run is overwritten before it moved.
        for run in runs where run.shift < 0 { move(run) }
        for run in runs.reversed() where run.shift > 0 { move(run) }
        // The replaced members' entries, in the gaps.
        shift = 0
        next = 0
        for ((member, entries), old) in zip(overrides, before) {
            for index in next..<member { offsets[index + 1] += Int32(shift) }
            let start = Int(offsets[member])
            for (offset, entry) in entries.enumerated() {
                let id: Int
                if let known = keyIndex[entry.key] {
                    id = known
                } else {
                    id = keys.count
                    guard id <= Int(UInt16.max) else { throw SnapshotCoding.Corrupt() }
                    keys.append(entry.key)
                    keyIndex[entry.key] = id
                }
                keyIDs[start + offset] = UInt16(id)
                values[start + offset] = entry.value
                answers[start + offset] = entry.answer
            }
            shift += entries.count - old
            offsets[member + 1] = Int32(start + entries.count)
            next = member + 1
        }
        if shift != 0 { for index in next..<count { offsets[index + 1] += Int32(shift) } }
        if shift < 0 {
            keyIDs.removeLast(-shift)
            values.removeLast(-shift)
            answers.removeLast(-shift)
        }
    }

    /// Moves one run of entries by its shift, in the three entry arrays.
    private mutating func move(_ run: (start: Int, length: Int, shift: Int)) {
        guard run.length > 0, run.shift != 0 else { return }
        func move<T>(_ array: inout ContiguousArray<T>) {
            array.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                UnsafeMutableRawPointer(base + run.start + run.shift)
                    .copyMemory(from: base + run.start, byteCount: run.length * MemoryLayout<T>.stride)
            }
        }
        move(&keyIDs)
        move(&values)
        move(&answers)
    }
}
