import ArgumentParser
import Foundation
import TagEngine

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for the server and for TAGD_TOKEN.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bearer token (printed once); it expires.")
        @Option(name: .customLong("for"), help: "The user the token acts as (default: you; another user needs admin).")
        var user: String?
        @Option(help: "How long it is valid: 30d, 12h, 1y (default 90d, at most 400d).") var ttl: String = "90d"
        @Option(help: "A note about where the token is used.") var label: String?
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.open()
            let actor = try identity.actor(in: store)
            let owner = user ?? actor
            if owner != actor {
                try store.pool.write { db in
                    _ = try Users.authorize(actor, needs: .admin, action: "token_create_for", tag: nil, in: db)
                }
            }
            guard let lifetime = Window.seconds(ttl) else { throw CLIError("--ttl: '\(ttl)' is not a duration such as 30d or 12h") }
            print(try ApiTokens(pool: store.pool).create(for: owner, label: label, lifetime: lifetime))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (ids, never the secrets).")
        @Option(name: .customLong("for"), help: "Only this user's tokens.") var user: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let tokens = try ApiTokens(pool: try options.open().pool).list(user: user)
            if json { return try Console.json(tokens) }
            let now = Int64(Date().timeIntervalSince1970)
            var table = TextTable("ID", "USER", "LABEL", "CREATED", "EXPIRES", "LAST USED", "STATUS")
            for t in tokens {
                let status = t.revoked ? "revoked by \(t.revokedBy ?? "?")" : t.isValid(at: now) ? "valid" : "expired"
                table.add(
                    t.id, t.user, t.label ?? "-", Console.date(t.createdAt), t.expiresAt.map(Console.date) ?? "-",
                    t.lastUsedAt.map(Console.date) ?? "-", status)
            }
            print(table.rendered)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id (yours, or anyone's as an admin).")
        @Argument(help: "The token id from tagd token list.") var id: String
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.open()
            let token = try ApiTokens(pool: store.pool).revoke(id: id, actor: try identity.actor(in: store))
            print("revoked token \(token.id) of \(token.user); it authenticates nobody from now on")
        }
    }
}
