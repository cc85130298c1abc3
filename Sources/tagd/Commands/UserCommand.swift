import ArgumentParser
import TagEngine

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users and roles (operator, approver, admin).",
        subcommands: [Add.self, List.self, Disable.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user or change their role (the first user needs no --as).")
        @Argument var name: String
        @Option(help: "operator, approver or admin") var role: String
        @Option(name: .customLong("as"), help: "The admin doing it.") var actor: String?
        @OptionGroup var options: StoreOptions

        func run() throws {
            guard let role = Role(rawValue: role) else { throw CLIError("role must be operator, approver or admin") }
            let user = try Users(pool: try options.open(create: true).pool).add(name: name, role: role, actor: actor)
            print("user \(user.name) is \(user.role.rawValue)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let users = try Users(pool: try options.open().pool).all()
            if json { return try Console.json(users) }
            var table = TextTable("USER", "ROLE", "SINCE", "STATUS")
            for u in users { table.add(u.name, u.role.rawValue, Console.date(u.createdAt), u.disabled ? "disabled" : "active") }
            print(table.rendered)
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (kept for the audit trail).")
        @Argument var name: String
        @Option(name: .customLong("as"), help: "The admin doing it.") var actor: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try Users(pool: try options.open().pool).disable(name: name, actor: actor)
            print("user \(name) disabled")
        }
    }
}
