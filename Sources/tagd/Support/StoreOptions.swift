import ArgumentParser
import Foundation
import MemberStore
import TagEngine

/// Where the store, the rules and the plugins are.
struct StoreOptions: ParsableArguments {
    @Option(help: "The store file (default: $TAGD_STORE, else ./tagd.sqlite).")
    var store: String?

    @Option(help: "The rules directory (default: $TAGD_RULES, else ./rules).")
    var rules: String?

    @Option(help: "The plugins directory (default: $TAGD_PLUGINS, else ./plugins).")
    var plugins: String?

    var storePath: String { store ?? ProcessInfo.processInfo.environment["TAGD_STORE"] ?? "tagd.sqlite" }
    var rulesURL: URL { URL(fileURLWithPath: rules ?? ProcessInfo.processInfo.environment["TAGD_RULES"] ?? "rules") }
    var pluginsURL: URL {
        URL(fileURLWithPath: plugins ?? ProcessInfo.processInfo.environment["TAGD_PLUGINS"] ?? "plugins")
    }

    /// Opens the store, which must exist (see `tagd init`).
    func open(create: Bool = false) throws -> MemberStore {
        if !create, !FileManager.default.fileExists(atPath: storePath) {
            throw CLIError("no store at \(storePath): run `tagd init` (or pass --store PATH / set TAGD_STORE)")
        }
        return try MemberStore(path: storePath)
    }

    var catalog: RuleCatalog { RuleCatalog(directory: rulesURL, pluginsDirectory: pluginsURL) }

    /// Scans the rules directory and records new or edited files as proposals.
    func syncedFiles(_ store: MemberStore, quiet: Bool = false, actor: String? = nil) throws -> [RuleFile] {
        let files = try catalog.scan()
        let report = try TagRegistry(pool: store.pool).sync(files, actor: actor ?? "rules-dir")
        if !quiet {
            for name in report.proposed { Console.note("proposed: \(name) (new or edited rule file; see tagd plan \(name))") }
            for error in report.errors { Console.note("rule error: \(error)") }
        }
        return files
    }
}

/// An error the CLI reports as is and exits with status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
