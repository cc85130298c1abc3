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
        @Option(help: "The OS account this user acts from with the local CLI (the first user: yours).")
        var osUser: String?
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            guard let role = Role(rawValue: role) else { throw CLIError("role must be operator, approver or admin") }
            let store = try options.open(create: true)
            let users = Users(pool: store.pool)
            let user: User
            if try users.all().isEmpty {
                // Bootstrap: the first user is whoever creates the store's directory of users.
                user = try users.add(name: name, role: role, actor: nil, osUser: osUser ?? Identity.currentOSUser)
            } else {
                user = try users.add(name: name, role: role, actor: try identity.actor(in: store), osUser: osUser)
            }
            let mapping = user.osUser.map { " (acts locally as OS user \($0))" } ?? " (acts with a token only)"
            print("user \(user.name) is \(user.role.rawValue)\(mapping)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            let users = try Users(pool: try options.open().pool).all()
            if json { return try Console.json(users) }
            var table = TextTable("USER", "ROLE", "OS USER", "SINCE", "STATUS")
            for u in users {
                table.add(u.name, u.role.rawValue, u.osUser ?? "-", Console.date(u.createdAt), u.disabled ? "disabled" : "active")
            }
            print(table.rendered)
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (kept for the audit trail).")
        @Argument var name: String
        @OptionGroup var identity: ActorOptions
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.open()
            try Users(pool: store.pool).disable(name: name, actor: try identity.actor(in: store))
            print("user \(name) disabled")
        }
    }
}
