import Foundation
import GRDB
import Testing

@testable import TagCatalog

@Suite("Catalog statistics")
struct StatsTests {
    @Test func overlapsEqualTheJoinCounts() throws {
        let scratch = try CatalogStore()
        defer { scratch.remove() }
        let members = try scratch.members(300)
        let a = try scratch.tag("a"), b = try scratch.tag("b"), c = try scratch.tag("c"), empty = try scratch.tag("empty")
        var generator = SystemRandomNumberGenerator()
        for tag in [a, b, c] {
            try scratch.hold(tag, Dictionary(uniqueKeysWithValues: members.filter { _ in Bool.random(using: &generator) }.map { ($0, "v") }))
        }
        let snapshot = try #require(try TagOverlaps.compute(scratch.pool) as TagOverlaps.Snapshot?)
        #expect(snapshot.members == 300)
        let n = snapshot.tagIDs.count
        try scratch.pool.read { db in
            for (i, x) in snapshot.tagIDs.enumerated() {
                #expect(snapshot.holders[i] == (try Int.fetchOne(db, sql: "SELECT count(*) FROM member_tags WHERE tag_id = ?", arguments: [x])))
                for (j, y) in snapshot.tagIDs.enumerated() where i != j {
                    let both = try Int.fetchOne(db, sql: """
                        SELECT count(*) FROM member_tags p JOIN member_tags q ON p.member_id = q.member_id WHERE p.tag_id = ? AND q.tag_id = ?
                        """, arguments: [x, y])
                    #expect(snapshot.pairs[i * n + j] == both, "pair \(x), \(y)")
                }
            }
        }
        let related = try TagOverlaps(pool: scratch.pool).related(to: a)
        #expect(Set(related.items.map(\.tagID)) == [b, c], "tags without common holders are not related")
        #expect(related.items.allSatisfy { $0.lift > 0 && $0.share <= 1 })
        #expect(try TagOverlaps(pool: scratch.pool).related(to: empty).items.isEmpty)
    }

    @Test func trendsCountEachValueAfterEachRun() throws {
        let scratch = try CatalogStore()
        defer { scratch.remove() }
        let members = try scratch.members(4)
        let tag = try scratch.tag("t")
        // Run 1: m1, m2 gain x, m3 gains y. Run 2: m2 x -> y, m3 loses y, m4 gains x. Run 3 fails.
        let history: [(run: Int64, member: Int64, change: String, old: String?, new: String?)] = [
            (1, members[0], "gained", nil, "x"), (1, members[1], "gained", nil, "x"), (1, members[2], "gained", nil, "y"),
            (2, members[1], "changed", "x", "y"), (2, members[2], "lost", "y", nil), (2, members[3], "gained", nil, "x"),
        ]
        try scratch.pool.write { db in
            for (id, status) in [(1, "succeeded"), (2, "succeeded"), (3, "failed")] {
                try db.execute(
                    sql: "INSERT INTO runs(id, tag_id, trigger, as_of, started_at, finished_at, status) VALUES (?, ?, 'cli', ?, 0, 1, ?)",
                    arguments: [id, tag, id * 100, status])
            }
            for h in history {
                try db.execute(
                    sql: "INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at) VALUES (?, ?, ?, ?, ?, ?, 0)",
                    arguments: [h.run, tag, h.member, h.change, h.old, h.new])
            }
        }
        let trends = RunTrends(pool: scratch.pool)
        let points = try trends.trend(of: tag)
        #expect(points.map(\.runID) == [1, 2], "one point per succeeded run")
        #expect(points.map(\.values) == [["x": 2, "y": 1], ["x": 2, "y": 1]])
        #expect(points.map(\.covered) == [3, 3])
        // A fourth run is folded in from its own history only.
        try scratch.pool.write { db in
            try db.execute(sql: "INSERT INTO runs(id, tag_id, trigger, as_of, started_at, finished_at, status) VALUES (4, ?, 'cli', 400, 0, 1, 'succeeded')", arguments: [tag])
            try db.execute(sql: "INSERT INTO tag_history(run_id, tag_id, member_id, change, old_value, new_value, at) VALUES (4, ?, ?, 'lost', 'x', NULL, 0)", arguments: [tag, members[0]])
        }
        let more = try trends.trend(of: tag)
        #expect(more.map(\.runID) == [1, 2, 4])
        #expect(more.last?.values == ["x": 1, "y": 1])
    }
}
