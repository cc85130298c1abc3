import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

/// Questions about a member's value (`pop.above`, `pop.ntile`...) are
/// recorded with their answers, so that after a small change an incremental
/// run re-evaluates only the members whose answers moved, and still equals a
/// full run.
@Suite("pop answers replayed") struct PopReplayTests {
    /// Spend above the mean, and the spend quintile.
    static let rule = """
        return tag "spender" {
          title = "Spender", category = "test/pop", owner = "qa", kind = "label", refresh = "hourly",
          features = { spend = sum("orders.amount") },
          population = function(m) return m.spend > 0 end,
          evaluate = function(m, pop)
            local big = pop.above("spend", m.spend, "mean")
            return (big and "big" or "small") .. pop.ntile("spend", m.spend, 5)
          end,
        }
        """

    /// A rule `name` of `kind` over the members' total spend.
    static func spending(_ name: String, kind: String = "flag", evaluate: String) -> String {
        """
        return tag "\(name)" {
          title = "\(name)", category = "test/pop", owner = "qa", kind = "\(kind)", refresh = "hourly",
          features = { spend = sum("orders.amount") },
          evaluate = function(m, pop)
            \(evaluate)
          end,
        }
        """
    }

    /// 100 members spending 1..100.
    static func seeded() throws -> TestStore {
        let store = try TestStore()
        let ids = (1...100).map { String(format: "m%03d", $0) }
        _ = try store.store.ingest(members: ids.map { MemberInput(externalID: $0) })
        _ = try store.store.ingest(orders: ids.enumerated().map { index, id in
            OrderInput(member: id, ts: TestStore.ago(3), amount: Double(index + 1), category: "pet")
        })
        return store
    }

    /// The live values of a full run over a copy of `store`.
    static func fullRun(_ store: TestStore, tag: String) throws -> [String: String] {
        let path = store.rules.deletingLastPathComponent().appendingPathComponent("copy-\(UUID().uuidString).sqlite").path
        try store.pool.backup(to: try DatabaseQueue(path: path))
        let copy = try MemberStore(path: path)
        let reports = try TagRunner(pool: copy.pool).run(
            try TagRegistry(pool: copy.pool).liveVersions(), asOf: store.asOfDate, trigger: "test", full: true)
        #expect(reports.allSatisfy { $0.status == "succeeded" })
        return try copy.pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.external_id, mt.value FROM member_tags mt JOIN members m ON m.id = mt.member_id
                JOIN tags t ON t.id = mt.tag_id WHERE t.name = ?
                """, arguments: [tag])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        }
    }

    @Test func aSmallChangeReEvaluatesOnlyTheMembersWhoseAnswersMoved() throws {
        let store = try Self.seeded()
        try store.write("spender.lua", Self.rule)
        try store.approve("spender")
        #expect(try store.run().first?.kind == "full")
        #expect(try store.values("spender")["m100"] == "big5")
        // One member spends a little more: the mean moves by 0.5, the quintiles barely.
        _ = try store.store.ingest(orders: [OrderInput(member: "m001", ts: TestStore.ago(1), amount: 50, category: "pet")])
        let report = try #require(try store.run().first)
        #expect(report.kind == "incremental")
        #expect(report.status == "succeeded")
        let evaluated = try #require(report.evaluated)
        #expect(evaluated >= 1 && evaluated < 100, "evaluated \(evaluated)")
        #expect(try store.values("spender") == (try Self.fullRun(store, tag: "spender")))
        // A large change moves many answers, and still equals a full run.
        _ = try store.store.ingest(orders: (1...20).map {
            OrderInput(member: String(format: "m%03d", $0), ts: TestStore.ago(1), amount: 500, category: "pet")
        })
        #expect(try store.run().first?.status == "succeeded")
        #expect(try store.values("spender") == (try Self.fullRun(store, tag: "spender")))
    }

    /// Order counts in quintiles, with many ties: a new order for one member
    /// leaves the tile boundaries where they were, so nobody else is asked
    /// again (the fingerprint of the question did not move); a change that
    /// moves them asks again, and both equal a full run.
    @Test func aQuestionWhoseBoundariesStayedIsNotAskedAgain() throws {
        let store = try Self.seeded()
        _ = try store.store.ingest(orders: (1...50).map {
            OrderInput(member: String(format: "m%03d", $0), ts: TestStore.ago(2), amount: 1, category: "pet")
        })
        try store.write("busy.lua", """
            return tag "busy" {
              title = "busy", category = "test/pop", owner = "qa", kind = "label", refresh = "hourly",
              features = { n = count("orders") },
              evaluate = function(m, pop) return "q" .. pop.ntile("n", m.n, 5) end,
            }
            """)
        try store.approve("busy")
        _ = try store.run()
        let fingerprints = try store.pool.read { db in try Data.fetchOne(db, sql: "SELECT pop_fingerprints FROM feature_snapshots") }
        #expect(fingerprints.map { PopRecording.fingerprints(from: $0)?.count } == 1)
        // m060 (one order) gets a second: still a tie inside the same tiles.
        _ = try store.store.ingest(orders: [OrderInput(member: "m060", ts: TestStore.ago(1), amount: 1, category: "pet")])
        let small = try #require(try store.run().first)
        #expect(small.kind == "incremental")
        #expect(small.evaluated == 1 && small.reasons?["pop answer moved"] == nil, "\(small.reasons ?? [:])")
        #expect(try store.values("busy") == (try Self.fullRun(store, tag: "busy")))
        // Thirty more members reach two orders: the boundaries move, answers are asked again.
        _ = try store.store.ingest(orders: (61...90).map {
            OrderInput(member: String(format: "m%03d", $0), ts: TestStore.ago(1), amount: 1, category: "pet")
        })
        let large = try #require(try store.run().first)
        #expect(large.kind == "incremental")
        #expect((large.reasons?["pop answer moved"] ?? 0) > 0, "\(large.reasons ?? [:])")
        #expect(try store.values("busy") == (try Self.fullRun(store, tag: "busy")))
    }

    /// `moved` skips exactly the questions whose fingerprint is unchanged:
    /// a recorded answer that disagrees with the statistics is found when the
    /// fingerprint differs (or is missing), and not asked when it is the same.
    @Test func movedSkipsOnlyQuestionsWithTheSameFingerprint() throws {
        let spec = try FeatureSpec.parse(function: .count, arguments: [.string("orders")])
        let values = (0..<10).map { Double($0 % 3) }
        let stats = PopulationStats(
            table: FeatureTable(memberIDs: ContiguousArray((0..<10).map(Int64.init)), columns: [spec: .numeric(.integer, ContiguousArray(values))]),
            featuresByName: ["n": spec], included: nil)
        let key = PopRecording.Key(question: .ntile, feature: "n", parameter: 4)
        let recorder = PopRecorder()
        for (index, value) in values.enumerated() {
            recorder.begin(member: index)
            // Member 7's recorded answer is wrong on purpose.
            let answer = try stats.answer(.ntile, feature: "n", value: value, parameter: 4).map { index == 7 ? $0 + 1 : $0 }
            recorder.record(.ntile, feature: "n", value: value, parameter: 4, answer: answer)
        }
        var recording = try #require(recorder.recording(count: 10, previous: nil, previousIndex: { $0 }))
        #expect(try recording.moved(stats: stats, count: 10, changed: [], previousIndex: { $0 }) == [7])
        #expect(try recording.moved(stats: stats, count: 10, changed: [], previousIndex: { _ in nil }, aligned: true) == [7])
        #expect(try recording.moved(stats: stats, count: 10, changed: [7], previousIndex: { $0 }, aligned: true) == [])
        recording.fingerprints = try stats.fingerprints(of: recording.keys, derived: .init())
        #expect(recording.fingerprints[key] != nil)
        #expect(try recording.moved(stats: stats, count: 10, changed: [], previousIndex: { $0 }) == [])
        recording.fingerprints[key] = [0, 99, 0, 99, 0, 99]
        #expect(try recording.moved(stats: stats, count: 10, changed: [], previousIndex: { $0 }) == [7])
        // The fingerprint survives its encoding.
        #expect(PopRecording.fingerprints(from: recording.encodedFingerprints) == recording.fingerprints)
        #expect(PopRecording.fingerprints(from: Data([1, 2, 3])) == nil)
    }

    @Test func aConstantStatisticThatMovedEvaluatesEveryone() throws {
        let store = try Self.seeded()
        try store.write("spender.lua", Self.spending("spender", evaluate: "return m.spend > pop.mean \"spend\""))
        try store.approve("spender")
        _ = try store.run()
        _ = try store.store.ingest(orders: [OrderInput(member: "m001", ts: TestStore.ago(1), amount: 50, category: "pet")])
        let report = try #require(try store.run().first)
        #expect(report.kind == "incremental")
        #expect(report.evaluated == 100)
        #expect(report.reasons?["population changed"] == 99)
        #expect(try store.values("spender") == (try Self.fullRun(store, tag: "spender")))
    }

    /// Spend at most twice the total spend per buyer: a derived statistic.
    static let derived = """
        return tag "modest" {
          title = "modest", category = "test/pop", owner = "qa", kind = "flag", refresh = "hourly",
          features = { spend = sum("orders.amount") },
          stats = {
            -- half the spend per buyer, or none without buyers
            half = function(pop) local n = pop.count "spend" if n > 0 then return pop.sum "spend" / n / 2 end end,
            none = function(pop) return nil end,
          },
          evaluate = function(m, pop)
            return pop.at_most("spend", m.spend, "half") and not pop.above("spend", m.spend, "none")
          end,
        }
        """

    @Test func aDerivedStatisticThatMovedReEvaluatesOnlyTheMembersItMovedPast() throws {
        let store = try Self.seeded()
        try store.write("modest.lua", Self.derived)
        try store.approve("modest")
        #expect(try store.run().first?.status == "succeeded")
        // Mean spend 50.5: at most 25.25 holds for m001...m025.
        #expect(try store.values("modest").count == 25)
        // m001 spends 100 more: the half-mean moves to 25.75, past nobody; only m001 moves.
        _ = try store.store.ingest(orders: [OrderInput(member: "m001", ts: TestStore.ago(1), amount: 100, category: "pet")])
        let report = try #require(try store.run().first)
        #expect(report.kind == "incremental")
        #expect(report.evaluated == 1, "\(String(describing: report.reasons))")
        #expect(try store.values("modest") == (try Self.fullRun(store, tag: "modest")))
        // m002 spends 300 more: the half-mean reaches 27.25, and m026, m027 come inside.
        _ = try store.store.ingest(orders: [OrderInput(member: "m002", ts: TestStore.ago(1), amount: 300, category: "pet")])
        let moved = try #require(try store.run().first)
        #expect(moved.reasons?["pop answer moved"] == 2, "\(String(describing: moved.reasons))")
        #expect(try store.values("modest") == (try Self.fullRun(store, tag: "modest")))
    }

    @Test(arguments: [
        ("stats = { mean = function(pop) return 1 end },", "'mean' is a built-in statistic"),
        ("stats = { half = 2 },", "stats.half must be a function(pop)"),
        ("stats = { [\"a b\"] = function() end },", "'a b' is not a name"),
        ("stats = 3,", "stats must be a table"),
    ])
    func badDerivedStatisticsFailAtLoad(field: String, message: String) throws {
        let store = try Self.seeded()
        try store.write("bad.lua", Self.spending("bad", evaluate: "return true").replacingOccurrences(
            of: "features = {", with: "\(field)\n  features = {"))
        let problems = try store.scan().compactMap { file -> String? in
            if case .failure(let error) = file.outcome { return "\(error)" }
            return nil
        }
        #expect(problems.contains { $0.contains(message) }, "\(problems)")
    }

    @Test func aDerivedStatisticThatFailsNamesIt() throws {
        let store = try Self.seeded()
        try store.write("bad.lua", Self.spending("bad", evaluate: "return pop.at_most(\"spend\", m.spend, \"half\")")
            .replacingOccurrences(of: "features = {", with: "stats = { half = function(pop) return \"x\" end },\n  features = {"))
        try store.approve("bad")
        let report = try #require(try store.run().first)
        #expect(report.status == "failed")
        #expect(report.error?.contains("stats.half returned a string") == true, "\(report.error ?? "")")
    }

    /// An endless loop, a 100 MB string: stopped by the call's budget (instructions
    /// or memory, whichever comes first), named, and nothing of the tag is written.
    @Test(arguments: ["while true do end", "return #string.rep(\"x\", 1e8)"])
    func aHostileDerivedStatisticIsBoundedAndLeavesTheValues(body: String) throws {
        let store = try Self.seeded()
        try store.write("good.lua", Self.spending("good", evaluate: "return m.spend > 50"))
        try store.write("bad.lua", Self.spending("bad", evaluate: "return pop.at_most(\"spend\", m.spend, \"half\")")
            .replacingOccurrences(of: "features = {", with: "stats = { half = function(pop) \(body) end },\n  features = {"))
        try store.approve("good")
        try store.approve("bad")
        let started = Date()
        let reports = try store.run()
        #expect(Date().timeIntervalSince(started) < 30)
        let bad = try #require(reports.first { $0.tag == "bad" })
        #expect(bad.status == "failed")
        let error = bad.error ?? ""
        #expect(error.contains("stats.half") && (error.contains("instruction") || error.contains("memory")), "\(error)")
        #expect(try store.values("bad").isEmpty)
        #expect(try store.values("good").count == 50)
    }

    @Test func comparisonsAnswerLikeTheStatisticTheyName() throws {
        let store = try Self.seeded()
        try store.write("cmp.lua", Self.spending("cmp", kind: "label", evaluate: """
            local same = pop.above("spend", m.spend, "mean") == (m.spend > pop.mean "spend")
              and pop.below("spend", m.spend, "median") == (m.spend < pop.median "spend")
              and pop.at_least("spend", m.spend, "p80") == (m.spend >= pop.quantile("spend", 0.8))
              and pop.at_most("spend", m.spend, "p12.5") == (m.spend <= pop.quantile("spend", 0.125))
            return same and "same" or "differs"
            """))
        try store.approve("cmp")
        #expect(try store.run().first?.status == "succeeded")
        #expect(Set(try store.values("cmp").values) == ["same"])
    }

    @Test(arguments: [
        ("pop.above(\"spend\", m.spend, \"average\")", "\"mean\", \"median\" or a quantile such as \"p80\", got \"average\""),
        ("pop.above(\"spend\", m.spend, \"p101\")", "got \"p101\""),
        ("pop.below(\"spend\", m.spend)", "got nil"),
        ("pop.at_least(\"spend\", nil, \"mean\")", "expected the member's value, got nil"),
        ("pop.at_most(\"nope\", m.spend, \"mean\")", "unknown feature 'nope'"),
    ])
    func badQuestionsFailTheRunSayingWhy(call: String, message: String) throws {
        let store = try Self.seeded()
        try store.write("bad.lua", Self.spending("bad", evaluate: "local answer = \(call)\n    return answer"))
        try store.approve("bad")
        let report = try #require(try store.run().first)
        #expect(report.status == "failed")
        #expect(report.error?.contains(message) == true, "\(report.error ?? "")")
        #expect(report.error?.contains("bad.lua:5") == true, "\(report.error ?? "")")
    }

    @Test func theRecordingSurvivesTheSnapshotCodingAndACorruptOneIsRefused() throws {
        var recording = PopRecording()
        recording.keys = [.init(question: .ntile, feature: "spend", parameter: 5), .init(question: .above, feature: "f", parameter: -1)]
        recording.offsets = [0, 2, 2, 3]
        recording.keyIDs = [0, 1, 1]
        recording.values = [1.5, 2.5, -3]
        recording.answers = [1, 0, .nan]
        recording.constants = [.init(arguments: ["mean", "spend", .nil], answer: [.number(50.5)])]
        let table = FeatureTable(memberIDs: [1, 2, 3], columns: [:])
        var bytes = Data()
        try SnapshotCoding.write(table, mask: [true, false, true], recording: recording) { bytes.append(contentsOf: $0) }
        let decoded = try SnapshotCoding.decode(bytes)
        let back = try #require(decoded.recording)
        #expect(back.keys == recording.keys)
        #expect(back.offsets == recording.offsets && back.keyIDs == recording.keyIDs && back.values == recording.values)
        #expect(back.answers[0] == 1 && back.answers[1] == 0 && back.answers[2].isNaN)
        #expect(back.constants == recording.constants)
        #expect(decoded.mask == [true, false, true])
        // An entry naming a question that is not there is refused, not trusted.
        recording.keyIDs = [0, 1, 7]
        bytes = Data()
        try SnapshotCoding.write(table, mask: nil, recording: recording) { bytes.append(contentsOf: $0) }
        #expect(throws: SnapshotCoding.Corrupt.self) { try SnapshotCoding.decode(bytes) }
    }

    @Test func aDamagedSnapshotMakesTheNextRunFullNotWrong() throws {
        let store = try Self.seeded()
        try store.write("spender.lua", Self.rule)
        try store.approve("spender")
        _ = try store.run()
        let expected = try store.values("spender")
        // Cut the stored snapshot short, then garble its middle.
        for damage in ["substr(data, 1, length(data) / 2)", "substr(data, 1, 40) || randomblob(length(data) - 40)"] {
            try store.pool.write { db in try db.execute(sql: "UPDATE feature_snapshot_data SET data = \(damage)") }
            _ = try store.store.ingest(orders: [OrderInput(member: "m050", ts: TestStore.ago(1), amount: 0.5, category: "pet")])
            let report = try #require(try store.run().first)
            #expect(report.status == "succeeded")
            #expect(report.kind == "full", "\(damage)")
            #expect(try store.values("spender") == (try Self.fullRun(store, tag: "spender")))
        }
        #expect(try store.values("spender").count == expected.count)
    }

    @Test func aRuleReadingTheClockMovesWithItWhenNothingElseChanged() throws {
        let store = try Self.seeded()
        try store.write("hours.lua", Self.spending("hours", kind: "score", evaluate: "return (pop.as_of - \(TestStore.asOf)) // 3600"))
        try store.approve("hours")
        _ = try store.run()
        #expect(try store.values("hours")["m001"] == "0")
        let later = try store.runner.run(
            try store.registry.liveVersions(), asOf: store.asOfDate.addingTimeInterval(2 * 3_600), trigger: "test")
        #expect(later.first?.reasons?["as-of moved"] == 100, "\(later.first?.reasons ?? [:])")
        #expect(try store.values("hours")["m001"] == "2")
    }
}
