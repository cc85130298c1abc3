import Foundation
import GRDB
import Testing

/// Drives the real `tagd` binary the way an operator does.
@Suite("tagd command line", .serialized)
struct CLITests {
    /// The built executable, next to the test bundle.
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("tagd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/tagd")
    }

    struct Result {
        let status: Int32
        let out: String
        let err: String
    }

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tagd-cli-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("plugins"), withIntermediateDirectories: true)
    }

    @discardableResult
    func tagd(_ arguments: String...) throws -> Result { try tagd(environment: [:], arguments) }

    /// Runs `tagd` with extra environment variables (such as `TAGD_TOKEN`).
    @discardableResult
    func tagd(environment: [String: String], _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = ["TAGD_STORE": dir.appendingPathComponent("store.sqlite").path, "PATH": "/usr/bin:/bin"]
            .merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `tagd arguments` and kills it with SIGKILL after `delay` seconds (or finds it finished).
    func killed(_ arguments: [String], after delay: TimeInterval) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = ["TAGD_STORE": dir.appendingPathComponent("store.sqlite").path, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    @Test func backtestPrintsTheTagBesideTheRecencyBaseline() throws {
        #expect(try tagd("init").status == 0)
        // c1 and c2 buy again after 2024-02-01, c3 and c4 do not.
        try write("orders.csv", """
            member,ts,amount
            c1,2024-01-25,10
            c1,2024-02-10,10
            c2,2023-12-01,10
            c2,2024-03-01,10
            c3,2023-11-01,10
            c4,2023-06-01,10
            c4,2024-06-01,10
            """)
        #expect(try tagd("import", "orders", "orders.csv").status == 0)
        try write("rules/lapsed.lua", """
            return tag "lapsed" { title = "Lapsed", category = "value/churn", owner = "crm", kind = "score",
              refresh = "daily", features = { recency = days_since("orders") },
              evaluate = function(m) return m.recency end }
            """)
        let text = try tagd("backtest", "lapsed", "--as-of", "2024-02-01", "--horizon", "60d")
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("nothing written"))
        #expect(text.out.contains("days since the last paid order"), "\(text.out)")
        #expect(text.err.contains("4 members measured"), "\(text.err)")
        // The score is recency itself: both rank c4, c3, c2, c1, perfectly.
        let json = try tagd("backtest", "lapsed", "--as-of", "2024-02-01", "--horizon", "60d", "--json")
        let report = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(report?["positives"] as? Int == 2)
        #expect((report?["model"] as? [String: Any])?["auc"] as? Double == 1)
        #expect((report?["baseline"] as? [String: Any])?["auc"] as? Double == 1)
        #expect(try tagd("member", "c1", "--json").out.contains("lapsed") == false)
        let wrong = try tagd("backtest", "lapsed", "--as-of", "2024-02-01", "--horizon", "soon")
        #expect(wrong.status != 0 && wrong.err.contains("--horizon"))
    }

    /// `tagd bench rfm` repeats a step of a store `tagd bench` made: on any
    /// other store it says so and what to run first.
    @Test func theRefreshBenchNeedsABenchStore() throws {
        #expect(try tagd("init").status == 0)
        let result = try tagd("bench", "rfm", "--store", dir.appendingPathComponent("store.sqlite").path, "--rounds", "1")
        #expect(result.status != 0)
        #expect(result.err.contains("has no live rfm_class and rfm_score"), "\(result.err)")
        #expect(result.err.contains("tagd bench --store"), "\(result.err)")
    }

    @Test func anOperatorsDay() throws {
        #expect(try tagd("init").status == 0)
        try write("orders.csv", "member,ts,amount,category\nc1,2024-01-10,30,pet\nc1,2024-01-20,20,books\nc2,2023-06-01,15,pet\n")
        let imported = try tagd("import", "orders", "orders.csv")
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("imported 3 orders"))
        // A bad row stops the import, names file, line and column, and stores nothing.
        try write("bad.csv", "member,ts,amount\nc3,2024-01-01,5\nc4,2024-01-02,12x\n")
        let bad = try tagd("import", "orders", "bad.csv")
        #expect(bad.status != 0)
        #expect(bad.err.contains("bad.csv:3"), "\(bad.err)")
        #expect(bad.err.contains("amount"))
        #expect(try tagd("member", "c3").status != 0)

        try write("rules/spender.lua", """
            -- spends anything at all
            return tag "spender" { title = "Spender", category = "value/spend", owner = "crm", kind = "score",
              refresh = "daily", features = { spend = sum("orders.amount", { within = "365d" }) },
              evaluate = function(m) if m.spend > 0 then return m.spend end end }
            """)
        #expect(try tagd("check").out.contains("ok   spender.lua"))
        #expect(try tagd("user", "add", "root", "--role", "admin").status == 0)
        #expect(try tagd("user", "add", "bob", "--role", "approver", "--as", "root").status == 0)
        // --as is a claim checked against who runs the command: forging it is refused.
        let denied = try tagd("approve", "spender", "--as", "bob")
        #expect(denied.status != 0)
        #expect(denied.err.contains("--as bob does not match"), "\(denied.err)")
        let plan = try tagd("plan", "spender", "--as-of", "2024-02-01")
        #expect(plan.out.contains("+2 gain"), "\(plan.out)")
        #expect(try tagd("run").status != 0)  // nothing approved yet
        let token = try tagd("token", "create", "--for", "bob", "--ttl", "1d").out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("tagd_"))
        let approved = try tagd(environment: ["TAGD_TOKEN": token], ["approve", "spender", "--as", "bob"])
        #expect(approved.status == 0, "\(approved.err)")
        let run = try tagd("run", "--as-of", "2024-02-01", "--json")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("\"gained\" : 2"))
        let member = try tagd("member", "c1", "--json")
        #expect(member.out.contains("\"value\" : \"50\""), "\(member.out)")
        let why = try tagd("member", "c1", "--why", "spender")
        #expect(why.out.contains("approved by bob"))
        #expect(try tagd("audit", "verify").out.contains("HMAC chain verified"))
    }

    @Test func revokedAndExpiredTokensAndForgedIdentitiesAreRefused() throws {
        #expect(try tagd("init").status == 0)
        #expect(try tagd("user", "add", "root", "--role", "admin").status == 0)
        #expect(try tagd("user", "add", "carol", "--role", "approver").status == 0)
        // The first user is mapped to the OS account running tagd; others act with tokens.
        let users = try tagd("user", "list").out
        #expect(users.contains("carol") && users.contains("-"))
        let token = try tagd("token", "create", "--for", "carol", "--label", "laptop").out
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let asCarol = ["TAGD_TOKEN": token]
        #expect(try tagd(environment: asCarol, ["setting", "review_runs", "5"]).status != 0)  // carol is no admin
        let list = try tagd("token", "list", "--json").out
        let id = try #require(list.split(separator: "\"").drop { $0 != "id" }.dropFirst(2).first.map(String.init))
        #expect(try tagd(environment: asCarol, ["token", "revoke", id]).status == 0)
        let afterRevoke = try tagd(environment: asCarol, ["token", "list"])
        #expect(afterRevoke.status == 0)
        #expect(afterRevoke.out.contains("revoked by carol"))
        let refused = try tagd(environment: asCarol, ["propose", "anything"])
        #expect(refused.status != 0)
        #expect(refused.err.contains("TAGD_TOKEN is unknown, revoked or expired"), "\(refused.err)")
        #expect(try tagd(environment: ["TAGD_TOKEN": "tagd_forged"], ["user", "disable", "root"]).status != 0)
        #expect(try tagd("token", "create", "--ttl", "500d").status != 0)
        let audit = try tagd("audit").out
        #expect(audit.contains("token_revoke"))
        #expect(audit.contains("denied"))
        #expect(try tagd("audit", "verify").status == 0)
    }

    @Test func aRuleThatCallsOsExecuteFailsWithFileAndLine() throws {
        #expect(try tagd("init").status == 0)
        try write("orders.csv", "member,ts,amount\nc1,2024-01-10,30\n")
        #expect(try tagd("import", "orders", "orders.csv").status == 0)
        try write("rules/evil.lua", """
            return tag "evil" { title = "E", category = "x/y", owner = "crm", kind = "flag", refresh = "daily",
              evaluate = function(m)
                os.execute("touch pwned")
                return true
              end }
            """)
        #expect(try tagd("user", "add", "root", "--role", "admin").status == 0)
        try tagd("user", "add", "bob", "--role", "approver", "--as", "root")
        let token = try tagd("token", "create", "--for", "bob").out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try tagd(environment: ["TAGD_TOKEN": token], ["approve", "evil"]).status == 0)
        let run = try tagd("run", "--as-of", "2024-02-01")
        #expect(run.status != 0)
        #expect(run.out.contains("evil.lua:3"), "\(run.out)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pwned").path))
        #expect(!(try tagd("member", "c1").out.contains("evil")))
    }

    @Test func withTagdURLTheCLIActsThroughTheServerAsTheTokensUser() throws {
        #expect(try tagd("init").status == 0)
        try write("rules/spender.lua", """
            return tag "spender" { title = "Spender", category = "value/spend", owner = "crm", kind = "flag",
              refresh = "daily", features = { spend = sum("orders.amount") },
              evaluate = function(m) return m.spend > 0 end }
            """)
        #expect(try tagd("user", "add", "root", "--role", "admin").status == 0)
        #expect(try tagd("user", "add", "bob", "--role", "approver").status == 0)
        let token = try tagd("token", "create", "--for", "bob").out.trimmingCharacters(in: .whitespacesAndNewlines)
        let port = Int.random(in: 20_000..<40_000)
        let server = Process()
        server.executableURL = Self.binary
        server.arguments = ["serve", "--port", String(port), "--tick", "3600"]
        server.currentDirectoryURL = dir
        server.environment = ["TAGD_STORE": dir.appendingPathComponent("store.sqlite").path, "PATH": "/usr/bin:/bin"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let remote = ["TAGD_URL": "http://127.0.0.1:\(port)", "TAGD_TOKEN": token]
        var approved = try tagd(environment: remote, ["approve", "spender", "--as", "alice"])
        for _ in 0..<100 where approved.err.contains("cannot reach") {
            Thread.sleep(forTimeInterval: 0.1)
            approved = try tagd(environment: remote, ["approve", "spender", "--as", "alice"])
        }
        // The claim is checked against the token's user before anything is done.
        #expect(approved.status != 0)
        #expect(approved.err.contains("token in TAGD_TOKEN is tagd user 'bob'"), "\(approved.err)")
        approved = try tagd(environment: remote, ["approve", "spender", "--reason", "looks right"])
        #expect(approved.status == 0, "\(approved.err)")
        #expect(approved.out.contains("through http://127.0.0.1:\(port): now active"), "\(approved.out)")
        #expect(try tagd("history", "spender").out.contains("bob"))
        let noToken = try tagd(environment: ["TAGD_URL": "http://127.0.0.1:\(port)"], ["approve", "spender"])
        #expect(noToken.err.contains("also set TAGD_TOKEN"))
        let wrong = try tagd(environment: ["TAGD_URL": "http://127.0.0.1:\(port)", "TAGD_TOKEN": "tagd_nope"], ["retire", "spender", "--reason", "x"])
        #expect(wrong.status != 0)
        #expect(wrong.err.contains("401"), "\(wrong.err)")
    }

    @Test func aRunKilledMidwayLeavesOldValuesAndTheNextRunRepairs() throws {
        #expect(try tagd("init").status == 0)
        let orders = (0..<3_000).map { "c\($0),2024-01-\(10 + $0 % 15),\($0 % 50 + 1)" }.joined(separator: "\n")
        try write("orders.csv", "member,ts,amount\n" + orders + "\n")
        #expect(try tagd("import", "orders", "orders.csv").status == 0)
        try write("rules/slow.lua", """
            return tag "slow" { title = "S", category = "t/s", owner = "crm", kind = "flag", refresh = "daily",
              features = { spend = sum("orders.amount") },
              evaluate = function(m) local x = 0 for i = 1, 200000 do x = x + i end return m.spend > 25 end }
            """)
        #expect(try tagd("user", "add", "root", "--role", "admin").status == 0)
        #expect(try tagd("setting", "four_eyes", "off").status == 0)
        #expect(try tagd("approve", "slow").status == 0)
        // Kill -9 in the middle of the first run.
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["run", "--as-of", "2024-02-01"]
        process.currentDirectoryURL = dir
        process.environment = ["TAGD_STORE": dir.appendingPathComponent("store.sqlite").path, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // Nothing half-written: no values, no snapshot.
        let after = try tagd("tag", "slow", "--json").out
        #expect(after.contains("\"holders\" : 0"), "\(after)")
        // The next run repairs: every member evaluated, the right values.
        let run = try tagd("run", "--as-of", "2024-02-01", "--json")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("\"kind\" : \"full\""), "\(run.out)")
        #expect(run.out.contains("\"covered\" : 1500"), "\(run.out)")
        let again = try tagd("run", "--as-of", "2024-02-01", "--json")
        #expect(again.out.contains("\"kind\" : \"incremental\""))
        #expect(again.out.contains("\"evaluated\" : 0"), "\(again.out)")
    }

    @Test func aMergeKilledMidwayLeavesBothMembersOrTheMergedOne() throws {
        #expect(try tagd("init").status == 0)
        // "big" comes first (the survivor); "small" has the many orders that must move.
        let orders = ["big,2024-01-05,7"] + (0..<150_000).map { "small,2024-01-\(10 + $0 % 15),\($0 % 50 + 1)" }
        try write("orders.csv", "member,ts,amount\n" + orders.joined(separator: "\n") + "\n")
        #expect(try tagd("import", "orders", "orders.csv").status == 0)
        try write("rules/spend.lua", """
            return tag "spend" { title = "S", category = "t/s", owner = "crm", kind = "score", refresh = "daily",
              features = { spend = sum("orders.amount") }, evaluate = function(m) return m.spend end }
            """)
        #expect(try tagd("user", "add", "root", "--role", "admin").status == 0)
        #expect(try tagd("setting", "four_eyes", "off").status == 0)
        #expect(try tagd("approve", "spend").status == 0)
        #expect(try tagd("run", "--as-of", "2024-02-01").status == 0)
        let total = (0..<150_000).reduce(7) { $0 + $1 % 50 + 1 }
        for delay in [0.05, 0.3, 0.8] {
            try killed(["identity", "merge", "big", "small", "--as-of", "2024-02-01"], after: delay)
            // Either both members as they were, or the merged one: never orders split between them.
            let merged = try tagd("identity", "history", "big").out.contains("small")
            #expect(try tagd("run", "--as-of", "2024-02-01").status == 0)
            let big = try tagd("member", "big", "--json").out
            if merged {
                #expect(big.contains("\"value\" : \"\(total)\""), "\(big)")
                #expect(try tagd("member", "small").out.contains("was merged into big"))
                #expect(try tagd("identity", "split", "small", "--as-of", "2024-02-01").status == 0)
                #expect(try tagd("member", "small", "--json").out.contains("\"value\" : \"\(total - 7)\""))
            } else {
                #expect(big.contains("\"value\" : \"7\""), "\(big)")
                #expect(try tagd("member", "small", "--json").out.contains("\"value\" : \"\(total - 7)\""))
            }
        }
    }

    @Test func anImportKilledMidwayStoresNothingAndKeepsTheChangeLogTriggers() throws {
        #expect(try tagd("init").status == 0)
        let rows = 300_000
        let orders = (0..<rows).map { "m\($0 % 20_000),2024-01-\(10 + $0 % 15),\($0 % 50 + 1)" }
        try write("orders.csv", "member,ts,amount\n" + orders.joined(separator: "\n") + "\n")
        let store = dir.appendingPathComponent("store.sqlite").path
        // The import pauses the triggers inside its transaction: a kill leaves them and stores nothing.
        func state() throws -> (orders: Int, logged: Int, triggers: Int) {
            let db = try DatabaseQueue(path: store)
            defer { try? db.close() }
            return try db.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(DISTINCT member_id) FROM change_log") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%change_log%'") ?? -1)
            }
        }
        let triggers = try state().triggers
        #expect(triggers >= 8)
        for delay in [0.2, 0.7] {
            try killed(["import", "orders", "orders.csv"], after: delay)
            let after = try state()
            #expect(after.triggers == triggers)
            // Nothing of the file, or (a very fast import) all of it.
            #expect(after.orders == 0 && after.logged == 0 || after.orders == rows && after.logged == 20_000, "\(after)")
            if after.orders == rows { return }
        }
        #expect(try tagd("import", "orders", "orders.csv").status == 0)
        let done = try state()
        #expect(done.orders == rows && done.logged == 20_000 && done.triggers == triggers, "\(done)")
    }

    @Test func aLargeMemberImportKilledMidwayKeepsTheAttributeIndexesAndStoresNothing() throws {
        #expect(try tagd("init").status == 0)
        let rows = 200_000
        let members = (0..<rows).map { "m\($0),r\($0 % 30),\($0 % 5),\($0 % 2 == 0 ? "f" : "m")" }
        try write("members.csv", "member,region,level,gender\n" + members.joined(separator: "\n") + "\n")
        let store = dir.appendingPathComponent("store.sqlite").path
        // An import this large against the store drops the attribute indexes inside its transaction and builds them at the end.
        func state() throws -> (members: Int, indexes: [String], integrity: String, inRegion: Int) {
            let db = try DatabaseQueue(path: store)
            defer { try? db.close() }
            return try db.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM members") ?? -1,
                 try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
                 try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "",
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM members INDEXED BY members_region WHERE region = 'r7'") ?? -1)
            }
        }
        let indexes = try state().indexes
        #expect(Set(["members_channel", "members_gender", "members_level", "members_region"]).isSubset(of: indexes), "\(indexes)")
        for delay in [0.2, 0.6, 1.2] {
            try killed(["import", "members", "members.csv"], after: delay)
            let after = try state()
            #expect(after.indexes == indexes && after.integrity == "ok")
            // Nothing of the file, or (a very fast import) all of it.
            #expect(after.members == 0 || after.members == rows, "\(after)")
            if after.members == rows { return }
        }
        #expect(try tagd("import", "members", "members.csv").status == 0)
        let done = try state()
        #expect(done.members == rows && done.indexes == indexes && done.integrity == "ok", "\(done)")
        #expect(done.inRegion == rows / 30 + (7 < rows % 30 ? 1 : 0))
    }

    @Test func aResolvedImportKilledMidwayKeepsTheIdentityIndexAndStoresNothing() throws {
        #expect(try tagd("init").status == 0)
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/identity.lua")
        try write("rules/identity.lua", String(contentsOf: shipped, encoding: .utf8))
        #expect(try tagd("user", "add", "root", "--role", "admin").status == 0)
        #expect(try tagd("setting", "four_eyes", "off").status == 0)
        #expect(try tagd("approve", "identity").status == 0)
        // Accounts named only by identities; every fifth names the member before by its phone.
        let rows = 150_000
        let accounts = (0..<rows).map { i in
            #"{"identities":{"phone":"139\#(String(format: "%08d", i % 5 == 4 ? i - 1 : i))","email":"u\#(i)@x.cn"}}"#
        }
        try write("accounts.ndjson", accounts.joined(separator: "\n") + "\n")
        let store = dir.appendingPathComponent("store.sqlite").path
        // The import writes the new identity rows at the end, the member index dropped and built again in its transaction.
        func state() throws -> (members: Int, identities: Int, indexes: [String], integrity: String, indexed: Int) {
            let db = try DatabaseQueue(path: store)
            defer { try? db.close() }
            return try db.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM members WHERE merged_into IS NULL") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM identities NOT INDEXED") ?? -1,
                 try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'identities' AND sql IS NOT NULL ORDER BY name"),
                 try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "",
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM identities INDEXED BY identities_member WHERE member_id > 0") ?? -1)
            }
        }
        let indexes = try state().indexes
        #expect(indexes.contains { $0.contains("identities_member") }, "\(indexes)")
        let members = rows - rows / 5
        let identities = 2 * rows - rows / 5
        for delay in [0.3, 1.0, 2.5] {
            try killed(["import", "members", "accounts.ndjson"], after: delay)
            let after = try state()
            #expect(after.indexes == indexes && after.integrity == "ok")
            // Nothing of the file, or (a very fast import) all of it.
            let nothing = after.members == 0 && after.identities == 0
            let all = after.members == members && after.identities == identities
            #expect(nothing || all, "\(after)")
            if after.members == members { return }
        }
        #expect(try tagd("import", "members", "accounts.ndjson").status == 0)
        let done = try state()
        #expect(done.members == members && done.identities == identities, "\(done)")
        #expect(done.indexes == indexes && done.integrity == "ok", "\(done)")
        #expect(done.indexed == identities)
    }
}
