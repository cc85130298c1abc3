import ArgumentParser
import Foundation
import GRDB
import LuaHost
import TagEngine

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate rule files without running them (default: the whole rules directory).")

    @Argument(help: "Rule files to check.") var files: [String] = []
    @OptionGroup var options: StoreOptions

    func run() throws {
        let results: [RuleFile]
        if files.isEmpty {
            results = try options.catalog.scan()
        } else {
            let lua = try LuaState(pluginsDirectory: options.pluginsURL.path)
            let loader = RuleLoader(lua: lua)
            let plugins = PluginLoaderFacade(lua: lua, directory: options.pluginsURL)
            results = files.map { path in
                let source = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                let outcome = FileManager.default.fileExists(atPath: path)
                    ? Result { () throws(RuleError) -> RuleSummary in
                        if IdentityRules.isIdentityFile(URL(fileURLWithPath: path).lastPathComponent) {
                            return RuleSummary(identity: try IdentityRules.parse(source: source, file: path), owner: "")
                        }
                        let summary = try plugins.check(try loader.load(source: source, file: path))
                        try RuleCatalog.checkRequires(source, file: path)
                        return summary
                    }
                    : .failure(RuleError(file: path, "no such file"))
                return RuleFile(path: path, source: source, hash: Hashing.sha256Hex(source), outcome: outcome)
            }
        }
        var failures = 0
        var owners: [String: String] = [:]
        let active = try activeTags()
        for file in results {
            switch file.outcome {
            case .success(let rule):
                if let other = owners[rule.name] {
                    failures += 1
                    print("\(file.path): tag \"\(rule.name)\" is already declared in \(other)")
                    continue
                }
                owners[rule.name] = file.path
                let declared = Set(results.compactMap(\.name))
                let missing = rule.dependencies.filter { active.map { !$0.contains($0) } ?? !declared.contains($0) }
                if !missing.isEmpty {
                    failures += 1
                    let kind = rule.isSegment ? "segment" : "tag"
                    let why = active == nil ? "not declared by any rule file" : "not active in \(options.storePath)"
                    print("\(file.path): \(kind) \"\(rule.name)\" reads \(missing.joined(separator: ", ")), \(why)")
                    continue
                }
                let values = rule.kind == .enum ? ", \(rule.values.count) values" : ""
                print("ok   \(file.path): \(rule.name) (\(rule.kind.rawValue)\(values), \(rule.features.count) features, refresh \(rule.refresh))")
            case .failure(let error):
                failures += 1
                print(error.description)
            }
        }
        print("\(results.count) files checked, \(failures) with errors")
        if active == nil { print("(no store at \(options.storePath): dependencies checked against the files only)") }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Active tag names in the store, when there is one.
    private func activeTags() throws -> Set<String>? {
        guard FileManager.default.fileExists(atPath: options.storePath) else { return nil }
        let pool = try options.open().pool
        return try pool.read { db in Set(try String.fetchAll(db, sql: "SELECT name FROM tags WHERE state = 'active'")) }
    }
}
