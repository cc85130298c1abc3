import ArgumentParser
import Foundation
import TagServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the tag rule server: HTTP API, scheduler, rules watcher, realtime tags, metrics.")

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind.") var port = 8080
    @Option(help: "Seconds between scheduler checks.") var tick = 5
    @Option(help: "Where file messages of reach plugins are written.") var exports = "exports"
    @OptionGroup var options: StoreOptions

    func run() async throws {
        _ = try options.open(create: true)
        let server = try TagServer(configuration: ServerConfiguration(
            host: host, port: port, storePath: options.storePath, rulesDirectory: options.rulesURL,
            pluginsDirectory: options.pluginsURL, schedulerTick: .seconds(tick),
            exportsDirectory: URL(fileURLWithPath: exports)))
        try await server.run()
    }
}
