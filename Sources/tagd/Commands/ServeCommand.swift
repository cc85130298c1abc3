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
    @Option(help: "Seconds a connection may sit idle (or take to send a request head) before it is closed.")
    var idleTimeout = 30
    @Option(help: "Seconds a request body may take to arrive before the connection is closed.") var bodyTimeout = 120
    @OptionGroup var options: StoreOptions

    func run() async throws {
        _ = try options.open(create: true)
        guard idleTimeout > 0, bodyTimeout > 0, tick > 0 else { throw CLIError("--tick, --idle-timeout and --body-timeout must be positive") }
        var configuration = ServerConfiguration(
            host: host, port: port, storePath: options.storePath, rulesDirectory: options.rulesURL,
            pluginsDirectory: options.pluginsURL, schedulerTick: .seconds(tick),
            exportsDirectory: URL(fileURLWithPath: exports))
        configuration.idleTimeout = .seconds(idleTimeout)
        configuration.bodyTimeout = .seconds(bodyTimeout)
        let server = try TagServer(configuration: configuration)
        try await server.run()
    }
}
