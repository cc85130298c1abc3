import ArgumentParser
import TagEngine

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject the waiting proposal of a tag.")
    @Argument var name: String
    @OptionGroup var identity: ActorOptions
    @Option(help: "Why (required, audited).") var reason: String
    @OptionGroup var options: StoreOptions

    func run() async throws {
        if try await RemoteServer.decide("reject", tag: name, reason: reason, claimed: identity.claimed) { return }
        let store = try options.open()
        let actor = try identity.actor(in: store)
        _ = try options.syncedFiles(store, quiet: true)
        let version = try TagRegistry(pool: store.pool).reject(name: name, actor: actor, reason: reason)
        print("rejected \(name) version \(version.shortHash)")
    }
}

struct RetireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire", abstract: "Retire an active tag: it stops running and its values move to history.")
    @Argument var name: String
    @OptionGroup var identity: ActorOptions
    @Option(help: "Why (required, audited).") var reason: String
    @OptionGroup var options: StoreOptions

    func run() async throws {
        if try await RemoteServer.decide("retire", tag: name, reason: reason, claimed: identity.claimed) { return }
        let store = try options.open()
        let actor = try identity.actor(in: store)
        let moved = try TagRegistry(pool: store.pool).retire(name: name, actor: actor, reason: reason)
        print("retired \(name); \(moved) live values moved to history")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Bring a retired tag back as a proposal (it runs again once approved).")
    @Argument var name: String
    @OptionGroup var identity: ActorOptions
    @Option(help: "Why (audited).") var reason: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        if try await RemoteServer.decide("restore", tag: name, reason: reason, claimed: identity.claimed) { return }
        let store = try options.open()
        let actor = try identity.actor(in: store)
        try TagRegistry(pool: store.pool).restore(name: name, actor: actor, reason: reason)
        print("restored \(name) as a proposal; an approver approves it to make it live again")
    }
}

struct ProposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose", abstract: "Sign the current version of a rule file as your proposal.")
    @Argument var name: String
    @OptionGroup var identity: ActorOptions
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        let actor = try identity.actor(in: store)
        let files = try options.syncedFiles(store, quiet: true, actor: actor)
        let version = try TagRegistry(pool: store.pool).propose(name: name, actor: actor, files: files)
        print("\(name) version \(version.shortHash) proposed by \(actor); waiting for an approver")
    }
}
