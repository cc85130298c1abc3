import ArgumentParser
import TagEngine

struct SettingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setting", abstract: "Show settings, or change one as an admin (audited).")

    @Argument(help: "four_eyes, review_runs or review_unread_days") var key: String?
    @Argument(help: "The new value.") var value: String?
    @Option(name: .customLong("as"), help: "The admin doing it.") var actor: String?
    @OptionGroup var options: StoreOptions

    func run() throws {
        let settings = Settings(pool: try options.open().pool)
        guard let key else {
            for (key, value) in try settings.all() { print("\(key.rawValue) = \(value)") }
            return
        }
        guard let known = Settings.Key(rawValue: key) else {
            throw CLIError("unknown setting \(key) (known: \(Settings.Key.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let value else {
            return print("\(key) = \(try settings.all().first { $0.key == known }?.value ?? known.defaultValue)")
        }
        guard let actor else { throw CLIError("changing a setting needs --as ADMIN") }
        try settings.set(known, to: value, actor: actor)
        print("\(key) = \(value)")
    }
}
