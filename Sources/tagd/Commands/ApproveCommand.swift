import ArgumentParser
import TagEngine

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve the current version of a rule file (binds to its content hash).")

    @Argument(help: "The tag name.") var name: String
    @OptionGroup var identity: ActorOptions
    @Option(help: "Why (kept in the audit log).") var reason: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        if try await RemoteServer.decide("approve", tag: name, reason: reason, claimed: identity.claimed) { return }
        let store = try options.open()
        let actor = try identity.actor(in: store)
        let files = try options.syncedFiles(store, quiet: true)
        let version = try TagRegistry(pool: store.pool).approve(name: name, actor: actor, files: files, reason: reason)
        print("approved \(name) version \(version.shortHash) as \(actor); it is live from the next run")
    }
}
