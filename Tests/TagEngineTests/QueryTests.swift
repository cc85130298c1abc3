import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

/// A store with five members and a few live tags, written with plain SQL.
///
/// | member | channel | registered | gender | region | birthday   | level | attrs                                  |
/// |--------|---------|------------|--------|--------|------------|-------|----------------------------------------|
/// | m1     | wechat  | 2024-01-01 | f      | south  | 1990-05-01 | 3     | vip true, city Guangzhou, spend 120.5  |
/// | m2     | app     | 2023-06-01 | m      | north  | 1985-02-10 | 1     | vip false, city Beijing                |
/// | m3     | wechat  | 2024-03-01 | f      | west   | -          | 5     | -                                      |
/// | m4     | store   | 2022-01-01 | -      | -      | -          | -     | city O'Hara "x"                        |
/// | m5     | app     | 2024-06-01 | m      | east   | 2000-12-12 | 2     | spend 10                               |
///
/// Tags: `rfm_class` (enum) m1 important_value, m2 general_retain, m3 important_value,
/// m5 important_develop; `new_customer` (flag) m1, m5; `spend_score` (score) m1 87.5,
/// m2 12, m3 100, m4 9; `pet_lover` (segment) m2, m3; `fav_category` (label) m1 pet,
/// m2 books, m4 home; `old_tag` (retired) m4; `draft` (proposed).
struct QueryFixture {
    let store: MemberStore

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try MemberStore(path: dir.appendingPathComponent("store.sqlite").path)
        try store.pool.write { db in try Self.seed(db) }
    }

    static func seed(_ db: Database) throws {
        let members: [(Int64, String, String, Int64, String?, String?, String?, Int64?, String)] = [
            (1, "m1", "wechat", 1_704_067_200, "f", "south", "1990-05-01", 3, #"{"vip":true,"city":"Guangzhou","spend":120.5}"#),
            (2, "m2", "app", 1_685_577_600, "m", "north", "1985-02-10", 1, #"{"vip":false,"city":"Beijing"}"#),
            (3, "m3", "wechat", 1_709_251_200, "f", "west", nil, 5, "{}"),
            (4, "m4", "store", 1_640_995_200, nil, nil, nil, nil, #"{"city":"O'Hara \"x\""}"#),
            (5, "m5", "app", 1_717_200_000, "m", "east", "2000-12-12", 2, #"{"spend":10}"#),
        ]
        for m in members {
            try db.execute(
                sql: """
                    INSERT INTO members(id, external_id, channel, registered_at, gender, region, birthday, level, attrs, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)
                    """, arguments: [m.0, m.1, m.2, m.3, m.4, m.5, m.6, m.7, m.8])
        }
        let tags: [(Int64, String, String, String, String)] = [
            (1, "rfm_class", "tag", "active", "enum"), (2, "new_customer", "tag", "active", "flag"),
            (3, "spend_score", "tag", "active", "score"), (4, "pet_lover", "segment", "active", "flag"),
            (5, "fav_category", "tag", "active", "label"), (6, "old_tag", "tag", "retired", "enum"),
            (7, "draft", "tag", "proposed", "flag"),
        ]
        for t in tags {
            try db.execute(
                sql: "INSERT INTO tags(id, name, kind, state, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)",
                arguments: [t.0, t.1, t.2, t.3])
            try db.execute(
                sql: """
                    INSERT INTO tag_versions(id, tag_id, hash, source, file, value_kind, state, proposed_at)
                    VALUES (?, ?, ?, '', ?, ?, ?, 0)
                    """, arguments: [t.0, t.0, "h\(t.0)", "\(t.1).lua", t.4, t.3 == "active" ? "approved" : t.3])
            if t.3 == "active" || t.3 == "retired" {
                try db.execute(sql: "UPDATE tags SET live_version_id = ? WHERE id = ?", arguments: [t.0, t.0])
            }
        }
        let values: [(Int64, Int64, String)] = [
            (1, 1, "important_value"), (1, 2, "general_retain"), (1, 3, "important_value"), (1, 5, "important_develop"),
            (2, 1, "true"), (2, 5, "true"),
            (3, 1, "87.5"), (3, 2, "12"), (3, 3, "100"), (3, 4, "9"),
            (4, 2, "true"), (4, 3, "true"),
            (5, 1, "pet"), (5, 2, "books"), (5, 4, "home"),
            (6, 4, "x"),
        ]
        for v in values {
            try db.execute(
                sql: "INSERT INTO member_tags(tag_id, member_id, value, since) VALUES (?, ?, ?, 0)", arguments: [v.0, v.1, v.2])
        }
    }

    func run(_ query: String, limit: Int = 100, cursor: String? = nil) throws -> QueryRun {
        try MemberQuery.run(query, in: store.pool, limit: limit, cursor: cursor)
    }

    /// The external ids matching `query`; also checks the count agrees.
    func members(_ query: String) throws -> [String] {
        let page = try run(query).page
        #expect(page.count == page.items.count, "\(query)")
        return page.items.map(\.member)
    }

    /// The error `query` fails with.
    func error(_ query: String) throws -> QueryError? {
        do {
            _ = try run(query)
            return nil
        } catch let error as QueryError {
            return error
        }
    }
}

@Suite("member queries")
struct QueryTests {
    static let valid: [(String, [String])] = [
        // tag values
        (#"rfm_class == "important_value""#, ["m1", "m3"]),
        (#"rfm_class == "important_value" and region == "south""#, ["m1"]),
        (#"rfm_class == 'important_value' or region == "north""#, ["m1", "m2", "m3"]),
        (#"rfm_class != "important_value""#, ["m2", "m5"]),
        (#"rfm_class in ("important_value", "important_develop")"#, ["m1", "m3", "m5"]),
        (#"rfm_class not in ("important_value")"#, ["m2", "m5"]),
        (#"not rfm_class in ("important_value")"#, ["m2", "m4", "m5"]),
        (#"fav_category == "pet" || fav_category == "home""#, ["m1", "m4"]),
        (#"fav_category > "c""#, ["m1", "m4"]),
        // flags and segments
        ("new_customer", ["m1", "m5"]),
        ("not new_customer", ["m2", "m3", "m4"]),
        ("!new_customer && level >= 2", ["m3"]),
        ("new_customer == true", ["m1", "m5"]),
        ("new_customer == false", ["m2", "m3", "m4"]),
        ("new_customer != true", ["m2", "m3", "m4"]),
        ("new_customer != false", ["m1", "m5"]),
        ("pet_lover", ["m2", "m3"]),
        ("pet_lover and new_customer", []),
        ("has(fav_category)", ["m1", "m2", "m4"]),
        ("HAS ( rfm_class )", ["m1", "m2", "m3", "m5"]),
        ("has(pet_lover) or has(new_customer)", ["m1", "m2", "m3", "m5"]),
        ("has(region)", ["m1", "m2", "m3", "m5"]),
        ("has(attr.vip)", ["m1", "m2"]),
        ("not has(attr.city)", ["m3", "m5"]),
        // numeric tag values compare as numbers ("9" > "50" as text)
        ("spend_score > 50", ["m1", "m3"]),
        ("spend_score >= 9 and spend_score < 87.5", ["m2", "m4"]),
        ("spend_score <= 12", ["m2", "m4"]),
        ("spend_score == 100", ["m3"]),
        ("spend_score == 87.50", ["m1"]),
        (#"spend_score == "12""#, ["m2"]),
        ("spend_score in (9, 12)", ["m2", "m4"]),
        ("spend_score not in (9, 12, -1)", ["m1", "m3"]),
        // attributes
        (#"region != "south""#, ["m2", "m3", "m5"]),
        (#"not region == "south""#, ["m2", "m3", "m4", "m5"]),
        (#"not (region == "south" or level > 2)"#, ["m2", "m4", "m5"]),
        (#"region in ("south", "east")"#, ["m1", "m5"]),
        (#"region not in ("south")"#, ["m2", "m3", "m5"]),
        (#"channel == "wechat" and gender == "f""#, ["m1", "m3"]),
        ("level > 1 and level <= 3", ["m1", "m5"]),
        ("level == 3.0", ["m1"]),
        (#"level == "5""#, ["m3"]),
        (#"birthday < "1990-01-01""#, ["m2"]),
        (#"registered_at >= "2024-01-01""#, ["m1", "m3", "m5"]),
        ("registered_at < 1704067200", ["m2", "m4"]),
        (#"registered_at >= "2024-02-01T00:00:00+08:00" and registered_at < '2024-06-01'"#, ["m3"]),
        (#"external_id == "m4""#, ["m4"]),
        // JSON attributes
        ("attr.vip == true", ["m1"]),
        ("attr.vip == false", ["m2"]),
        ("attr.vip != true", ["m2"]),
        (#"attr.city == "O'Hara \"x\"""#, ["m4"]),
        (#"attr.city == 'O\'Hara "x"'"#, ["m4"]),
        (#"attr.city == "\u0047uangzhou""#, ["m1"]),
        (#"attr.city in ("Beijing", "Shanghai")"#, ["m2"]),
        ("attr.spend > 100", ["m1"]),
        (#"attr."spend" >= 10"#, ["m1", "m5"]),
        // grouping, precedence, keywords in any case
        (#"(rfm_class == "important_value" or pet_lover) and not (region == "west")"#, ["m1", "m2"]),
        (#"rfm_class == "important_value" or pet_lover and region == "north""#, ["m1", "m2", "m3"]),
        (#"new_customer AND region == "east" OR Not pet_lover"#, ["m1", "m4", "m5"]),
        ("not not pet_lover", ["m2", "m3"]),
        ("((new_customer))", ["m1", "m5"]),
        ("new_customer\n  and\tlevel < 3", ["m5"]),
    ]

    @Test(arguments: valid)
    func matches(_ query: String, _ expected: [String]) throws {
        let store = try QueryFixture()
        #expect(try store.members(query) == expected, "\(query)")
    }

    @Test func valuesNamedInTheQuery() throws {
        let store = try QueryFixture()
        let run = try store.run(#"rfm_class == "important_value" and (region == "south" or level >= 3) and has(attr.city)"#)
        #expect(run.columns == ["rfm_class", "region", "level", "attr.city"])
        #expect(run.tags == ["rfm_class"])
        #expect(run.page.items == [
            QueryItem(member: "m1", values: [
                "rfm_class": .string("important_value"), "region": .string("south"), "level": .number(3), "attr.city": .string("Guangzhou"),
            ])
        ])
        let flags = try store.run("new_customer or has(spend_score)").page
        #expect(flags.items.map { $0.values["new_customer"] } == [.string("true"), .null, .null, .null, .string("true")])
        #expect(flags.items.map { $0.values["spend_score"] } == [.string("87.5"), .string("12"), .string("100"), .string("9"), .null])
    }

    @Test func pagesInMemberIDOrder() throws {
        let store = try QueryFixture()
        let first = try store.run("has(rfm_class)", limit: 2).page
        #expect(first.count == 4)
        #expect(first.items.map(\.member) == ["m1", "m2"])
        #expect(first.nextCursor == "2")
        let second = try store.run("has(rfm_class)", limit: 2, cursor: first.nextCursor).page
        #expect(second.count == 4)
        #expect(second.items.map(\.member) == ["m3", "m5"])
        #expect(second.nextCursor == nil)
        let counted = try store.run("has(rfm_class)", limit: 0).page
        #expect(counted.count == 4 && counted.items.isEmpty && counted.nextCursor == nil)
        #expect(throws: QueryCursorError.self) { try store.run("has(rfm_class)", cursor: "abc") }
    }

    static let invalid: [(String, Int, Int, String)] = [
        (#"region == "south"#, 1, 11, "unterminated string"),
        (#"region == 'south"#, 1, 11, "unterminated string"),
        (#"new_customer == and region == "south""#, 1, 17, "expected a value after '==' (found 'and')"),
        ("level >=", 1, 9, "expected a value after '>=' (found the end of the query)"),
        (#"rfm_clas == "x""#, 1, 1, "unknown name 'rfm_clas': not a member attribute, attr.<key>, or an active tag or segment (did you mean rfm_class?)"),
        (#"region == "south" and spend_scor > 3"#, 1, 23, "(did you mean spend_score?)"),
        ("regoin == 1", 1, 1, "(did you mean region?)"),
        (#"old_tag == "x""#, 1, 1, "'old_tag' is a retired tag; only active tags and segments can be queried"),
        ("draft", 1, 1, "'draft' is a proposed tag"),
        (#"region = "south""#, 1, 8, "unknown operator '=' (did you mean '=='?)"),
        (#"region <> "south""#, 1, 8, "unknown operator '<>'"),
        ("new_customer & pet_lover", 1, 14, "unknown operator '&'"),
        (#"region == "south" extra"#, 1, 19, "expected 'and', 'or' or the end of the query (found 'extra')"),
        ("new_customer)", 1, 13, "unexpected ')' with no matching '('"),
        (#"region == "south" "north""#, 1, 19, #"(found "north")"#),
        ("", 1, 1, "empty query"),
        ("   ", 1, 4, "empty query"),
        ("(new_customer or pet_lover", 1, 27, "expected ')' to close the '(' at column 1 (found the end of the query)"),
        (#"region == "south" and"#, 1, 22, "expected a condition after 'and' (found the end of the query)"),
        (#"region "south""#, 1, 8, "expected an operator (==, !=, <, <=, >, >=, in, not in) after 'region'"),
        (#""south" == region"#, 1, 1, "expected a tag, segment or attribute name"),
        (#"region in "south""#, 1, 11, "expected '(' after 'in'"),
        (#"region in ("a" "b")"#, 1, 16, "expected ',' or ')' in the list opened at column 11"),
        ("region in ()", 1, 12, "expected a value after '('"),
        ("new_customer\nand region ==", 2, 14, "expected a value after '==' (found the end of the query)"),
        (#"region == "a\q""#, 1, 13, #"invalid escape '\q'"#),
        (#"region == "\u12""#, 1, 12, "invalid escape: \\u needs four hex digits"),
        ("level > 3x", 1, 9, "invalid number '3x'"),
        ("level > 99999999999999999999", 1, 9, "too large"),
        ("region == $", 1, 11, "unexpected character '$'"),
        (#"spend_score in (1, "a")"#, 1, 20, "the list mixes numbers and text"),
        ("level < true", 1, 9, "cannot compare with < against true or false"),
        ("rfm_class", 1, 1, "'rfm_class' is an enum tag: compare its value, as in rfm_class == \"...\", or use has(rfm_class)"),
        ("region and new_customer", 1, 1, "'region' is a member attribute"),
        ("has(nope)", 1, 5, "unknown name 'nope'"),
        ("has(region", 1, 11, "expected ')' to close has(...)"),
        ("attr. == 1", 1, 7, "expected an attribute key after 'attr.'"),
        (#"registered_at > "last week""#, 1, 17, "registered_at takes a date"),
        (#"not"#, 1, 4, "expected a condition after 'not' (found the end of the query)"),
    ]

    @Test(arguments: invalid)
    func rejects(_ query: String, _ line: Int, _ column: Int, _ message: String) throws {
        let store = try QueryFixture()
        let error = try #require(try store.error(query), "\(query) should fail")
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func errorDescriptionEchoesTheQueryWithACaret() throws {
        let store = try QueryFixture()
        let error = try #require(try store.error(#"new_customer == and region == "south""#))
        #expect(error.description == """
            query:1:17: expected a value after '==' (found 'and')
              new_customer == and region == "south"
                              ^
            """)
        let tabbed = try #require(try store.error("new_customer or\n\tlevel = 3"))
        #expect(tabbed.description == "query:2:8: unknown operator '=' (did you mean '=='?)\n  \tlevel = 3\n  \t      ^")
    }

    @Test func literalsAreBoundNotInterpolated() throws {
        let store = try QueryFixture()
        let compiled = try store.store.pool.read { db in
            try MemberQuery(#"region == "x'); DROP TABLE members; --" or spend_score > 5"#).compile(db)
        }
        #expect(!compiled.condition.contains("DROP"))
        #expect(compiled.condition == """
            (m.region = ? OR m.id IN (SELECT member_id FROM member_tags WHERE tag_id = ? AND CAST(value AS REAL) > ?))
            """)
        #expect(compiled.conditionArguments == ["x'); DROP TABLE members; --".databaseValue, 3.databaseValue, 5.0.databaseValue])
        #expect(try store.members(#"region == "x'); DROP TABLE members; --""#) == [])
    }

    /// The `detail` lines of `EXPLAIN QUERY PLAN` for both statements of a query.
    static func plan(_ query: String, in store: QueryFixture) throws -> (page: [String], count: [String]) {
        try store.store.pool.read { db in
            let compiled = try MemberQuery(query).compile(db)
            let page = try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + compiled.pageSQL, arguments: compiled.pageArguments(after: 0, limit: 101)
            ).map { $0["detail"] as String }
            let count = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + compiled.countSQL, arguments: compiled.countArguments)
                .map { $0["detail"] as String }
            return (page, count)
        }
    }

    /// SQLite 3.40 answers the common shapes from indexes. For
    /// `rfm_class == "x" and region == "south"` the page statement plans as
    ///
    /// ```
    /// SEARCH m USING INDEX members_region (region=? AND rowid>?)
    /// LIST SUBQUERY 1
    ///   SEARCH member_tags USING COVERING INDEX member_tags_value (tag_id=? AND value=?)
    /// ```
    ///
    /// (plus `CORRELATED SCALAR SUBQUERY` lines for the value columns, each a
    /// `SEARCH member_tags USING PRIMARY KEY (tag_id=? AND member_id=?)`); a
    /// tag condition alone is `SEARCH m USING INTEGER PRIMARY KEY (rowid=?)`
    /// over the subquery's list, and `or` of indexed conditions is a
    /// `MULTI-INDEX OR`.
    ///
    /// Shapes that do walk `members` (checked on a 5,000-member demo store
    /// too; there is no `sqlite_stat1`):
    /// - `not x` / `x == false` / `not (...)`: a complement; the page plans as
    ///   `SEARCH m USING INTEGER PRIMARY KEY (rowid>?)` (every member after
    ///   the cursor) probing the subquery's list, the count as `SCAN m`;
    /// - attribute ranges (`level >= 3`): the page prefers the rowid order of
    ///   `ORDER BY m.id` (`rowid>?`); only the count uses `members_level (level>?)`;
    /// - `region != "x"`: `SCAN m USING COVERING INDEX members_region`;
    /// - `attr.<key>` comparisons and `has(attr.<key>)`: no index, `SCAN m`;
    /// - `or` with any such operand.
    @Test func commonShapesUseIndexes() throws {
        let store = try QueryFixture()
        func isMembersScan(_ line: String) -> Bool { line.hasPrefix("SCAN m") }
        let (page, count) = try Self.plan(#"rfm_class == "x" and region == "south""#, in: store)
        for lines in [page, count] {
            #expect(lines.contains { $0.contains("member_tags USING COVERING INDEX member_tags_value (tag_id=? AND value=?)") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("SEARCH m USING") && $0.contains("INDEX members_region (region=?") }, "\(lines)")
            #expect(!lines.contains(where: isMembersScan), "\(lines)")
        }
        #expect(page.contains { $0.contains("SEARCH member_tags USING PRIMARY KEY (tag_id=? AND member_id=?)") }, "\(page)")

        let indexed: [(String, String, String?)] = [
            (#"rfm_class == "x""#, "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", "member_tags_value (tag_id=? AND value=?)"),
            ("new_customer", "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", "member_tags_value (tag_id=?)"),
            ("has(rfm_class)", "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", "member_tags_value (tag_id=?)"),
            ("spend_score > 50", "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", "member_tags_value (tag_id=?)"),
            (#"rfm_class in ("a", "b")"#, "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", "member_tags_value (tag_id=? AND value=?)"),
            (#"region == "south""#, "INDEX members_region (region=?", nil),
            (#"channel == "app" and gender == "m""#, "INDEX members_", nil),
            ("level == 3", "INDEX members_level (level=?", nil),
            (#"rfm_class == "x" or region == "south""#, "MULTI-INDEX OR", "member_tags_value (tag_id=? AND value=?)"),
            (#"new_customer and pet_lover"#, "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", "member_tags_value (tag_id=?)"),
        ]
        for (query, members, tags) in indexed {
            let (page, count) = try Self.plan(query, in: store)
            for lines in [page, count] {
                #expect(lines.contains { $0.contains(members) }, "\(query): \(lines)")
                if let tags { #expect(lines.contains { $0.contains("USING COVERING INDEX \(tags)") }, "\(query): \(lines)") }
                #expect(!lines.contains(where: isMembersScan), "\(query): \(lines)")
            }
        }
    }

    @Test func hostileQueriesFailCleanly() throws {
        let store = try QueryFixture()
        let deep = try #require(try store.error(String(repeating: "(", count: 10_000) + "new_customer"))
        #expect(deep.column == 65 && deep.message.contains("more than 64 levels"), "\(deep.headline)")
        let nots = try #require(try store.error(String(repeating: "not ", count: 100) + "new_customer"))
        #expect(nots.column == 257, "\(nots.headline)")
        let many = try #require(try store.error(Array(repeating: "new_customer", count: 300).joined(separator: " or ")))
        #expect(many.column == 256 * 16 + 1 && many.message.contains("more than 256 conditions"), "\(many.headline)")
        // At the limits SQLite still takes the statement.
        let widest = Array(repeating: #"(new_customer and region != "x")"#, count: 128).joined(separator: " or ")
        #expect(try store.members(widest) == ["m1", "m5"])
        let nested = String(repeating: "not (", count: 32) + "pet_lover" + String(repeating: ")", count: 32)
        #expect(try store.members(nested) == ["m2", "m3"])
        let list = "level in (" + (1...4_000).map(String.init).joined(separator: ", ") + ")"
        #expect(try store.members(list) == ["m1", "m2", "m3", "m5"])
        let tooMany = try #require(try store.error("level in (" + (1...5_001).map(String.init).joined(separator: ", ") + ")"))
        #expect(tooMany.message.contains("more than 5000 values"), "\(tooMany.headline)")
    }
}
