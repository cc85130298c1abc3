import Foundation
import Testing

@testable import TagEngine

/// The statistics `pop` answers from, against their definitions.
@Suite("Population statistics")
struct PopulationStatsTests {
    /// A deterministic generator (xorshift), so a failure repeats.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    static func stats(_ values: [Double]) throws -> (PopulationStats, String) {
        let spec = try FeatureSpec.parse(function: .sum, arguments: [.string("orders.amount")])
        let table = FeatureTable(memberIDs: ContiguousArray((0..<values.count).map(Int64.init)), columns: [spec: .numeric(.real, ContiguousArray(values))])
        return (PopulationStats(table: table, featuresByName: ["x": spec], included: nil), "x")
    }

    @Test func ntileEqualsItsDefinitionForEveryValueAndTileCount() throws {
        var random = Random(state: 88_172_645_463_325_252)
        for _ in 0..<200 {
            let count = random.int(1...40)
            // Few distinct values, so ties and tiny populations are common; some NaN (no value).
            let values = (0..<count).map { _ in random.int(0...9) == 0 ? Double.nan : Double(random.int(0...12)) }
            let (stats, name) = try Self.stats(values)
            let sorted = values.filter { !$0.isNaN }.sorted()
            for tiles in [1, 2, 3, 4, 5, 7, 10, 100] {
                let answer = try stats.answering(.ntile, feature: name, parameter: Double(tiles))
                for value in stride(from: -1.0, through: 14.0, by: 0.5) {
                    let below = sorted.filter { $0 < value }.count
                    let expected = sorted.isEmpty
                        ? nil : min(Double(tiles), (Double(below) / Double(sorted.count) * Double(tiles)).rounded(.down) + 1)
                    #expect(answer(value) == expected, "ntile(\(value), \(tiles)) over \(sorted)")
                }
            }
        }
    }

    @Test func constantStatisticsNeedNoSortAndSkipMissingValues() throws {
        let (stats, name) = try Self.stats([3, .nan, 1, 2])
        #expect(try stats.answer([.string("sum"), .string(name)]) == [.number(6)])
        #expect(try stats.answer([.string("count"), .string(name)]) == [.integer(3)])
        #expect(try stats.answer([.string("min"), .string(name)]) == [.number(1)])
        #expect(try stats.answer([.string("max"), .string(name)]) == [.number(3)])
        #expect(try stats.answer([.string("mean"), .string(name)]) == [.number(2)])
        let (empty, other) = try Self.stats([.nan])
        #expect(try empty.answer([.string("min"), .string(other)]) == [.nil])
        #expect(try empty.answer([.string("mean"), .string(other)]) == [.nil])
    }

    /// A compact column's values sorted by counting equal a comparison sort,
    /// with and without a population, for 200 random columns.
    @Test func countingSortEqualsASort() throws {
        var random = Random(state: 2_463_534_242)
        for round in 0..<200 {
            let count = random.int(0...300)
            let low = random.int(-50...50)
            let values = ContiguousArray((0..<count).map { _ in random.int(0...9) == 0 ? Float.nan : Float(low + random.int(0...round)) })
            let included: [Bool]? = round % 2 == 0 ? nil : (0..<count).map { _ in random.int(0...2) > 0 }
            let expected = values.indices.filter { !values[$0].isNaN && (included?[$0] ?? true) }.map { Double(values[$0]) }.sorted()
            #expect(PopulationStats.countingSort(values, included: included) == expected)
        }
        #expect(PopulationStats.countingSort([1, 2.5], included: nil) == nil)  // not whole: sorted by comparison
        #expect(PopulationStats.countingSort([0, 1e7], included: nil, span: 1 << 22) == nil)  // too wide
        // Through pop: a compact column answers the same quantiles as an 8-byte one.
        let spec = try FeatureSpec.parse(function: .count, arguments: [.string("orders")])
        let numbers: [Double] = (0..<500).map { Double(($0 * 7919) % 97) }
        let compact = PopulationStats(
            table: FeatureTable(memberIDs: ContiguousArray((0..<500).map(Int64.init)), columns: [spec: .compact(.integer, ContiguousArray(numbers.map(Float.init)))]),
            featuresByName: ["n": spec], included: nil)
        #expect(try compact.sorted("n") == numbers.sorted())
    }

    /// Order statistics found by selection equal the sorted values at the
    /// same positions, for 300 random columns (many ties, some all equal,
    /// some sorted or reversed), any set of positions.
    @Test func selectionEqualsASort() throws {
        var random = Random(state: 1_442_695_040_888_963_407)
        for round in 0..<300 {
            let count = random.int(1...2_000)
            var values = (0..<count).map { _ in Double(random.int(0...(round % 3 == 0 ? 3 : 1_000))) - 0.5 }
            if round % 7 == 0 { values.sort() }
            if round % 11 == 0 { values.sort(by: >) }
            let sorted = values.sorted()
            let positions = (0..<random.int(1...9)).map { _ in random.int(0...(count - 1)) }
            var buffer = ContiguousArray(values)
            buffer.withUnsafeMutableBufferPointer { b in
                PopulationStats.select(b, targets: Array(Set(positions)).sorted()[...], depth: round % 5 == 0 ? 1 : 64)
            }
            for position in positions { #expect(buffer[position] == sorted[position], "position \(position) of \(count)") }
            let (stats, name) = try Self.stats(values)
            #expect(try stats.orderStatistics(name, at: positions) == positions.map { sorted[$0] })
        }
    }

    /// The one-pass sampled selection equals a sort, or declines (never a wrong value).
    @Test func sampledSelectionEqualsASort() throws {
        var random = Random(state: 3_141_592_653_589_793_238)
        var declined = 0
        for round in 0..<60 {
            let count = random.int(1...30_000)
            var values = (0..<count).map { _ in Double(random.int(0...(round % 3 == 0 ? 4 : 1_000_000))) / 8 }
            if round % 4 == 1 { values.sort() }
            if round % 4 == 2 { values.sort(by: >) }
            if round % 10 == 9 { values = values.map { _ in 7 } }
            let sorted = values.sorted()
            let targets = Array(Set((0..<random.int(1...9)).map { _ in random.int(0...(count - 1)) })).sorted()
            let sampleSize = round % 5 == 0 ? 16 : 1_024
            guard let found = values.withUnsafeBufferPointer({ PopulationStats.sampleSelect($0, targets: targets, sampleSize: sampleSize) })
            else { declined += 1; continue }
            #expect(found == targets.map { sorted[$0] }, "round \(round), \(count) values")
        }
        #expect(declined < 10)
        // A NaN makes it decline.
        let withNaN: [Double] = [1, .nan, 3]
        #expect(withNaN.withUnsafeBufferPointer { PopulationStats.sampleSelect($0, targets: [1], sampleSize: 2) } == nil)
        // Above the threshold, `orderStatistics` answers through it.
        let large = (0..<(PopulationStats.sampledSelectionMinimum + 7)).map { _ in Double(random.int(0...5_000)) }
        let positions = [0, 17, 50_000, large.count - 1]
        let (stats, name) = try Self.stats(large)
        #expect(try stats.orderStatistics(name, at: positions) == positions.map { large.sorted()[$0] })
    }

    /// Quantiles and comparisons answered by selection equal those over the sorted values.
    @Test func quantilesBySelectionEqualTheSortedDefinition() throws {
        var random = Random(state: 6_364_136_223_846_793_005)
        for _ in 0..<100 {
            let values = (0..<random.int(1...500)).map { _ in random.int(0...9) == 0 ? Double.nan : Double(random.int(0...50)) / 4 }
            let sorted = values.filter { !$0.isNaN }.sorted()
            let (stats, name) = try Self.stats(values)
            for q in [0, 0.1, 0.25, 0.5, 0.8, 0.99, 1] {
                guard !sorted.isEmpty else { #expect(try stats.quantile(name, q) == nil); continue }
                let position = q * Double(sorted.count - 1)
                let low = Int(position.rounded(.down))
                let high = min(low + 1, sorted.count - 1)
                #expect(try stats.quantile(name, q) == sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low)))
            }
        }
    }
}

/// Carrying a recording over: copied in runs or entry by entry, the same.
@Suite("Pop recording carried over")
struct PopRecordingCarryTests {
    @Test func runsOfCopiedMembersEqualTheEntryByEntryCopy() {
        var random = PopulationStatsTests.Random(state: 99_991)
        for round in 0..<100 {
            let count = random.int(1...60)
            let previous = PopRecorder()
            for member in 0..<count {
                previous.begin(member: member)
                for _ in 0..<random.int(0...3) {
                    previous.record(.ntile, feature: "f\(random.int(0...2))", value: Double(member), parameter: 5, answer: Double(random.int(1...5)))
                }
            }
            guard let before = previous.recording(count: count, previous: nil, previousIndex: { $0 }) else {
                Issue.record("no recording"); return
            }
            let recorder = PopRecorder()
            for member in 0..<count where random.int(0...4) == 0 {
                recorder.begin(member: member)
                // Round by round, new questions appear first, so the key ids differ from before.
                if round % 2 == 1 { recorder.record(.rank, feature: "new", value: 1, parameter: 0, answer: 3) }
                recorder.record(.ntile, feature: "f1", value: -1, parameter: 5, answer: 2)
            }
            let bulk = recorder.recording(count: count, previous: before, aligned: true, previousIndex: { $0 })
            let single = recorder.recording(count: count, previous: before, aligned: false, previousIndex: { $0 })
            #expect(bulk?.keys == single?.keys)
            #expect(bulk?.offsets == single?.offsets)
            #expect(bulk?.keyIDs == single?.keyIDs)
            #expect(bulk?.values == single?.values)
            #expect(bulk?.answers == single?.answers)
            // Patched where it lies: the same questions and answers member by member (key ids may differ).
            let patched = recorder.recording(patching: before)
            #expect(patched.map { Self.entries($0) } == single.map { Self.entries($0) }, "round \(round)")
        }
    }

    /// Every member's entries with their questions spelled out.
    static func entries(_ recording: PopRecording) -> [[String]] {
        (0..<recording.count).map { member in
            recording.entries(of: member).map { entry in
                let key = recording.keys[Int(recording.keyIDs[entry])]
                return "\(key.question) \(key.feature) \(key.parameter) \(recording.values[entry]) \(recording.answers[entry])"
            }
        }
    }
}

/// A snapshot row's entries replaced in place equal the recording built
/// again member by member.
@Suite("Pop recording replaced in place")
struct PopRecordingReplaceTests {
    @Test func replacingInPlaceEqualsARebuild() throws {
        var random = PopulationStatsTests.Random(state: 3_935_559_000_370_003_845)
        let questions: [PopQuestion] = [.ntile, .above, .rank]
        for round in 0..<300 {
            let count = random.int(1...60)
            var members: [[PopRecording.Entry]] = (0..<count).map { member in
                (0..<random.int(0...4)).map { _ in
                    (PopRecording.Key(question: questions[random.int(0...2)], feature: "f\(random.int(0...2))", parameter: 5),
                     Double(member), Double(random.int(1...5)))
                }
            }
            var recording = PopRecording()
            for entries in members { Self.append(entries, to: &recording) }
            var overrides: [Int: [PopRecording.Entry]] = [:]
            for member in 0..<count where random.int(0...3) == 0 {
                // Longer, shorter, empty or the same length; sometimes a question never asked before.
                overrides[member] = (0..<random.int(0...6)).map { n in
                    (PopRecording.Key(question: .ntile, feature: round % 3 == 0 && n == 0 ? "new\(member)" : "f1", parameter: 5),
                     -Double(member), Double(n))
                }
            }
            overrides[count + 3] = []  // past the end: ignored
            for (member, entries) in overrides where member < count { members[member] = entries }
            try recording.replace(overrides.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            #expect(recording.count == count)
            #expect(recording.offsets.last.map(Int.init) == recording.keyIDs.count)
            #expect(recording.values.count == recording.keyIDs.count && recording.answers.count == recording.keyIDs.count)
            for member in 0..<count {
                let got = recording.entries(of: member).map {
                    (recording.keys[Int(recording.keyIDs[$0])], recording.values[$0], recording.answers[$0])
                }
                #expect(got.count == members[member].count, "round \(round), member \(member)")
                for (a, b) in zip(got, members[member]) { #expect(a.0 == b.key && a.1 == b.value && a.2 == b.answer) }
            }
        }
    }

    static func append(_ entries: [PopRecording.Entry], to recording: inout PopRecording) {
        for entry in entries {
            let id = recording.keys.firstIndex(of: entry.key) ?? recording.keys.count
            if id == recording.keys.count { recording.keys.append(entry.key) }
            recording.keyIDs.append(UInt16(id))
            recording.values.append(entry.value)
            recording.answers.append(entry.answer)
        }
        recording.offsets.append(Int32(recording.keyIDs.count))
    }
}
