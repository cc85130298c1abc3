import Foundation
import Testing
@testable import TagEngine

/// The changed members' features shared by the rules of one run.
@Suite struct FreshFeaturesTests {
    static let spec: FeatureSpec = {
        do { return try FeatureSpec.parse(function: .count, arguments: [.string("orders")]) } catch { fatalError("\(error)") }
    }()
    static func table(_ ids: [Int64]) -> FeatureTable {
        FeatureTable(memberIDs: ContiguousArray(ids), columns: [spec: .numeric(.integer, ContiguousArray(ids.map(Double.init)))])
    }

    @Test func aSecondIdenticalAskComputesNothing() throws {
        let fresh = FreshFeatures(features: ["a": [Self.spec], "b": [Self.spec], "c": []])
        var computed = 0
        let first = try fresh.table(rule: "a", specs: [Self.spec], members: [1, 2]) { computed += 1; return Self.table([1, 2]) }
        let second = try fresh.table(rule: "b", specs: [Self.spec], members: [2, 1]) { computed += 1; return Self.table([]) }
        #expect(computed == 1 && fresh.shared == 1)
        #expect(second.memberIDs == first.memberIDs)
        // Other members, or features no other rule reads, are computed on their own.
        _ = try fresh.table(rule: "b", specs: [Self.spec], members: [1]) { computed += 1; return Self.table([1]) }
        _ = try fresh.table(rule: "c", specs: [], members: [1, 2]) { computed += 1; return Self.table([1, 2]) }
        _ = try fresh.table(rule: "c", specs: [], members: [1, 2]) { computed += 1; return Self.table([1, 2]) }
        #expect(computed == 4 && fresh.shared == 1)
    }

    @Test func tablesAreLetGoWhenNoUnfinishedRuleReadsThem() throws {
        let fresh = FreshFeatures(features: ["a": [Self.spec], "b": [Self.spec]])
        var computed = 0
        _ = try fresh.table(rule: "a", specs: [Self.spec], members: [1]) { computed += 1; return Self.table([1]) }
        fresh.finished("a")
        // `b` still reads the features: kept.
        _ = try fresh.table(rule: "b", specs: [Self.spec], members: [1]) { computed += 1; return Self.table([1]) }
        #expect(computed == 1)
        fresh.finished("b")
        _ = try fresh.table(rule: "b", specs: [Self.spec], members: [1]) { computed += 1; return Self.table([1]) }
        #expect(computed == 2)
    }

    @Test func aFailedComputationIsNotKept() throws {
        struct Failed: Error {}
        let fresh = FreshFeatures(features: ["a": [Self.spec], "b": [Self.spec]])
        #expect(throws: Failed.self) { try fresh.table(rule: "a", specs: [Self.spec], members: [1]) { throw Failed() } }
        let table = try fresh.table(rule: "b", specs: [Self.spec], members: [1]) { Self.table([1]) }
        #expect(table.memberIDs == [1] && fresh.shared == 0)
    }

    @Test func rulesAskingAtOnceWaitForOneComputation() async throws {
        let names = (0..<8).map { "rule\($0)" }
        let fresh = FreshFeatures(features: Dictionary(uniqueKeysWithValues: names.map { ($0, [Self.spec]) }))
        let computations = Counter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for name in names {
                group.addTask {
                    try fresh.table(rule: name, specs: [Self.spec], members: [1, 2, 3]) {
                        computations.add()
                        Thread.sleep(forTimeInterval: 0.05)
                        return Self.table([1, 2, 3])
                    }.count
                }
            }
            for try await count in group { #expect(count == 3) }
        }
        #expect(computations.value == 1 && fresh.shared == 7)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
