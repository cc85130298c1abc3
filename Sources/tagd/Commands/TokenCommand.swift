import ArgumentParser
import TagEngine

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for the server.", subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bearer token acting as USER (printed once).")
        @Option(name: .customLong("as"), help: "The user the token acts as.") var actor: String
        @Option(help: "A note about where the token is used.") var label: String?
        @OptionGroup var options: StoreOptions

        func run() throws {
            print(try ApiTokens(pool: try options.open().pool).create(for: actor, label: label))
        }
    }
}
