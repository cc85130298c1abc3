import ArgumentParser
import TagEngine

struct SettingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setting", abstract: "Show settings, or change one as an admin (audited).")

    @Argument(help: "four_eyes, review_runs or review_unread_days") var key: String?
    @Argument(help: "The new value.") var value: String?
    @OptionGroup var identity: ActorOptions
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        let settings = Settings(pool: store.pool)
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
        try settings.set(known, to: value, actor: try identity.actor(in: store))
        print("\(key) = \(value)")
    }
}
