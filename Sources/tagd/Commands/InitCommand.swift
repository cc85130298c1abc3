import ArgumentParser
import MemberStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the store (idempotent).")

    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open(create: true)
        print("store ready at \(store.path): \(try store.counts())")
    }
}
