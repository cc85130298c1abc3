import ArgumentParser
import Foundation
import TagEngine
import TextDiff

struct PendingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "Proposals waiting for approval, each with its plan summary and a diff against the live version.")

    @Option(help: "Reference time for the plans (default now).") var asOf: String?
    @Flag(help: "Skip the plans (faster on big stores).") var noPlan = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        _ = try options.syncedFiles(store, quiet: true)
        let proposals = try TagRegistry(pool: store.pool).pending()
        guard !proposals.isEmpty else { return print("no proposals waiting") }
        let runner = TagRunner(pool: store.pool, pluginsDirectory: options.pluginsURL)
        let at = try AsOf.parse(asOf)
        for p in proposals {
            let by = p.version.proposedBy ?? "-"
            print("== \(p.tag.name): version \(p.version.shortHash) from \(p.version.file), proposed by \(by) at \(Console.date(p.version.proposedAt))")
            print("   tag is \(p.tag.state.rawValue)" + (p.live.map { ", live version \($0.shortHash)" } ?? ", never approved"))
            if !noPlan, p.tag.kind == IdentityRules.name {
                // The identity rules' pending view: what approving them would merge.
                do {
                    let policy = try IdentityRules.parse(source: p.version.source, file: p.version.file)
                    let plan = try store.pool.read { db in try IdentityPlan.make(policy, in: db) }
                    print("   identity plan: " + IdentityPlanSummary(plan).text.replacingOccurrences(of: "\n", with: "\n   "))
                    print("   (tagd identity plan shows the tags and segments that would change)")
                } catch {
                    print("   plan failed: \(error)")
                }
            } else if !noPlan {
                do {
                    let plan = try runner.plan(
                        source: p.version.source, file: p.version.file, tagName: p.tag.name, asOf: at, modules: p.version.moduleSources)
                    print("   plan: coverage \(Console.percent(plan.coverage)) (\(Console.count(plan.covered)) members), +\(Console.count(plan.gained)) -\(Console.count(plan.lost)) ~\(Console.count(plan.changed)) against live values")
                } catch {
                    print("   plan failed: \(error)")
                }
            }
            let diff = LineDiff.unified(
                old: p.live?.source ?? "", new: p.version.source,
                oldName: p.live.map { "live \($0.shortHash)" } ?? "/dev/null", newName: "proposed \(p.version.shortHash)")
            print(diff.isEmpty ? "   (same script as live)" : diff)
        }
        print("\(proposals.count == 1 ? "1 proposal" : "\(proposals.count) proposals") waiting: tagd approve NAME --as APPROVER, or tagd reject NAME --as APPROVER --reason ...")
    }
}
