import ArgumentParser
import Foundation
import GRDB
import MemberStore
import TagEngine

struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "ONE-ID: merge candidates, merges by hand, splits, history and the plan of the identity rules.",
        subcommands: [Candidates.self, Merge.self, Reject.self, Split.self, History.self, Plan.self, Resolve.self])

    struct Candidates: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pairs held for a person to decide (a limit would break).")
        @Flag(help: "Also decided pairs.") var all = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let list = try IdentityMerges(pool: options.open().pool).candidates(all: all)
            if json { return try Console.json(list) }
            var table = TextTable("ID", "MEMBER A", "MEMBER B", "CHANNEL", "STATUS", "AT", "WHY")
            for c in list { table.add(String(c.id), c.memberA, c.memberB, c.channel, c.status, Console.date(c.at), c.reason) }
            print(list.isEmpty ? "no merge candidates" : table.rendered)
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge two members into one (the survivor by the identity rules; default the earliest registration).")
        @Argument(help: "A member's external id.") var a: String
        @Argument(help: "The other member's external id.") var b: String
        @Option(help: "Re-evaluate tags as of this time (default now).") var asOf: String?
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            try IdentityCommand.act(options, identity) { merges, actor in
                let outcome = try merges.merge(a, b, actor: actor, at: AsOf.parse(asOf))
                print("merge \(outcome.mergeID): \(outcome.absorbed) merged into \(outcome.survivor) (undo: tagd identity split \(outcome.survivor) --merge \(outcome.mergeID))")
                return outcome
            }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a merge candidate: the pair is not offered again.")
        @Argument var a: String
        @Argument var b: String
        @Option(help: "Why (required, audited).") var reason: String
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.open()
            try IdentityMerges(pool: store.pool).reject(a, b, actor: try identity.actor(in: store), reason: reason)
            print("rejected the merge of \(a) and \(b)")
        }
    }

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo one merge exactly: every row back to the member it came from, tags restored and re-evaluated.")
        @Argument(help: "The member (survivor or absorbed external id).") var member: String
        @Option(help: "The merge to undo (default: the newest merge into the member).") var merge: Int64?
        @Option(help: "Re-evaluate tags as of this time (default now).") var asOf: String?
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            try IdentityCommand.act(options, identity) { merges, actor in
                let outcome = try merges.split(member, mergeID: merge, actor: actor, at: AsOf.parse(asOf))
                print("merge \(outcome.mergeID) undone: \(outcome.absorbed) split from \(outcome.survivor)")
                return outcome
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Merges and splits a member took part in.")
        @Argument var member: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let list = try IdentityMerges(pool: options.open().pool).history(member)
            if json { return try Console.json(list) }
            var table = TextTable("MERGE", "SURVIVOR", "ABSORBED", "WHY", "BY", "AT", "UNDONE")
            for m in list {
                table.add(
                    String(m.id), m.survivor, m.absorbed, m.reason, m.actor, Console.date(m.at),
                    m.undoneAt.map { "\(Console.date($0)) by \(m.undoneBy ?? "-")" } ?? "-")
            }
            print(list.isEmpty ? "no merges for \(member)" : table.rendered)
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the identity rules file's current content would merge among the stored members; writes nothing.")
        @Flag(help: "Plan the live (approved) rules instead of the file.") var live = false
        @Flag(help: "Skip the tag impact (a run of the live tags on a copy of the store).") var noTags = false
        @Option(help: "As-of of the impact run (default: the newest run's).") var asOf: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.open()
            let policy = try IdentityCommand.policy(options, store: store, live: live)
            let plan = try store.pool.read { db in try IdentityPlan.make(policy, in: db) }
            var summary = IdentityPlanSummary(plan)
            if !noTags, plan.merges > 0 {
                Console.progress("running the live tags on a copy of the store with the merges applied...")
                summary.tags = try IdentityPlan.impact(
                    of: policy, pool: store.pool, asOf: try asOf.map { try AsOf.parse($0) }, pluginsDirectory: options.pluginsURL)
                Console.progress("", final: false)
            }
            if json { return try Console.json(summary) }
            print(summary.text)
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the approved identity rules to the stored members (what `plan --live` shows), in one transaction.")
        @Option(help: "Re-evaluate tags as of this time (default now).") var asOf: String?
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.open()
            let actor = try identity.actor(in: store)
            guard let policy = try IdentityRules.live(in: store.pool) else {
                throw CLIError("no identity rules are approved (rules/identity.lua; tagd approve identity)")
            }
            let merges = IdentityMerges(pool: store.pool, pluginsDirectory: options.pluginsURL)
            let done = try merges.resolve(policy, actor: actor)
            print("\(Console.count(done)) members merged by the identity rules")
            IdentityCommand.printRuns(try merges.reevaluate(at: AsOf.parse(asOf)))
        }
    }

    /// The identity rules file's current content, or the live rules.
    static func policy(_ options: StoreOptions, store: MemberStore, live: Bool) throws -> IdentityPolicy {
        if live {
            guard let policy = try IdentityRules.live(in: store.pool) else { throw CLIError("no identity rules are approved") }
            return policy
        }
        let files = try options.syncedFiles(store, quiet: true)
        guard let file = files.first(where: { IdentityRules.isIdentityFile($0.path) }) else {
            throw CLIError("no \(IdentityRules.file) in \(options.rulesURL.path)")
        }
        return try IdentityRules.parse(source: file.source, file: file.path)
    }

    /// Runs a merge or split as the acting user, then reports the incremental runs that followed it.
    static func act(
        _ options: StoreOptions, _ identity: ActorOptions, _ body: (IdentityMerges, String) throws -> IdentityMerges.Outcome
    ) throws {
        let store = try options.open()
        let actor = try identity.actor(in: store)
        let outcome = try body(IdentityMerges(pool: store.pool, pluginsDirectory: options.pluginsURL), actor)
        printRuns(outcome.runs)
    }

    static func printRuns(_ runs: [RunReport]) {
        guard !runs.isEmpty else { return }
        let evaluated = runs.reduce(0) { $0 + ($1.evaluated ?? 0) }
        let changes = runs.reduce(0) { $0 + $1.gained + $1.lost + $1.changed }
        print("re-evaluated \(runs.count) tags and segments incrementally: \(Console.count(evaluated)) member evaluations, \(Console.count(changes)) values changed")
    }
}
