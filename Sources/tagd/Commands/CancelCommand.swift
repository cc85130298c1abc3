import ArgumentParser
import TagEngine

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a running run (from any process: the server or another tagd run); it rolls back.")

    @Argument(help: "The run id (see tagd tag NAME, or tagd run --json).") var runID: Int64
    @Option(help: "Why (audited).") var reason: String?
    @OptionGroup var identity: ActorOptions
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        try RunControl.cancel(runID: runID, actor: try identity.actor(in: store), reason: reason, pool: store.pool)
        print("asked run \(runID) to stop; it rolls back within a second and keeps the live values")
    }
}
