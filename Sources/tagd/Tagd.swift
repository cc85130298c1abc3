import ArgumentParser
import TagEngine

/// The `tagd` command line: a tag rule server for retail CRM.
@main
struct Tagd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tagd",
        abstract: "Tag rules in Lua over a SQLite member store, with a host-enforced lifecycle.",
        subcommands: [
            InitCommand.self, ImportCommand.self, CheckCommand.self, RulesCommand.self, PlanCommand.self,
            ApproveCommand.self, RunCommand.self, MemberCommand.self, TagCommand.self, DemoCommand.self,
            ServeCommand.self, BenchCommand.self, UserCommand.self, TokenCommand.self, SegmentCommand.self, OutboxCommand.self, SettingCommand.self, ProposeCommand.self, RejectCommand.self,
            RetireCommand.self, RestoreCommand.self, DueCommand.self, ReviewCommand.self, PendingCommand.self, HistoryCommand.self, AuditCommand.self, LoadTestCommand.self,
            QueryCommand.self, CancelCommand.self, BacktestCommand.self, IdentityCommand.self,
        ])

    /// Sets the allocator up for runs (``ProcessMemory``), then parses and runs the command.
    static func main() async {
        ProcessMemory.mapLargeAllocationsApart()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
