import ArgumentParser
import TagEngine

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a running run (from any process: the server or another tagd run); it rolls back.")

    @Argument(help: "The run id (see tagd tag NAME, or tagd run --json).") var runID: Int64
    @Option(help: "Why (audited).") var reason: String?
    @OptionGroup var identity: ActorOptions
    @OptionGroup var options: StoreOptions

    func run() async throws {
        if let remote = try RemoteServer.fromEnvironment() {
            try await remote.check(claimed: identity.claimed)
            let answer = try await remote.post("/v1/runs/\(runID)/cancel", reason: reason)
            return print("run \(runID): \(answer["status"] as? String ?? "?") through \(remote.base)")
        }
        let store = try options.open()
        try RunControl.cancel(runID: runID, actor: try identity.actor(in: store), reason: reason, pool: store.pool)
        print("asked run \(runID) to stop; it rolls back within a second and keeps the live values")
    }
}
