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
}
