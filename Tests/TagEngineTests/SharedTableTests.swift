import Foundation
import Testing

@testable import TagEngine

/// The full feature pass is let go once the rules known to need it finish,
/// and made again (once) for rules that turn out to need it later.
@Suite("Shared feature pass")
struct SharedTableTests {
    final class Calls: @unchecked Sendable {
        var made: [Set<FeatureSpec>] = []
    }

    static func specs() throws -> (FeatureSpec, FeatureSpec, FeatureSpec) {
        (try FeatureSpec.parse(function: .count, arguments: [.string("orders")]),
         try FeatureSpec.parse(function: .sum, arguments: [.string("orders.amount")]),
         try FeatureSpec.parse(function: .count, arguments: [.string("events")]))
    }

    static func table(_ calls: Calls, features: [String: Set<FeatureSpec>], expected: Set<String>) -> SharedTable {
        SharedTable(features: features, expected: expected) { specs in
            calls.made.append(specs)
            return FeatureTable(memberIDs: [1], columns: [:])
        }
    }

    @Test func letGoOnceTheExpectedRulesFinish() throws {
        let (a, b, c) = try Self.specs()
        let calls = Calls()
        let shared = Self.table(calls, features: ["new": [a], "old": [b], "other": [c]], expected: ["new"])
        _ = try shared.get()
        _ = try shared.get()
        #expect(calls.made == [[a, b, c]])
        shared.finished("new")
        // "old" turns out to need it: made again for the rules not finished, and kept.
        _ = try shared.get()
        shared.finished("old")
        _ = try shared.get()
        #expect(calls.made == [[a, b, c], [b, c]])
        #expect(shared.wasComputed)
    }

    @Test func withNoRuleExpectedTheFirstToNeedItMakesItForTheRest() throws {
        let (a, b, c) = try Self.specs()
        let calls = Calls()
        let shared = Self.table(calls, features: ["x": [a], "y": [b], "z": [c]], expected: [])
        #expect(!shared.wasComputed)
        shared.finished("x")
        _ = try shared.get()
        shared.finished("y")
        _ = try shared.get()
        #expect(calls.made == [[b, c]])
    }
}
