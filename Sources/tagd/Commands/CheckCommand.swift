import ArgumentParser
import Foundation
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
            results = files.map { path in
                let source = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                let outcome = FileManager.default.fileExists(atPath: path)
                    ? Result { () throws(RuleError) -> RuleSummary in try loader.summary(source: source, file: path) }
                    : .failure(RuleError(file: path, "no such file"))
                return RuleFile(path: path, source: source, hash: SHA256.hex(source), outcome: outcome)
            }
        }
        var failures = 0
        var owners: [String: String] = [:]
        for file in results {
            switch file.outcome {
            case .success(let rule):
                if let other = owners[rule.name] {
                    failures += 1
                    print("\(file.path): tag \"\(rule.name)\" is already declared in \(other)")
                    continue
                }
                owners[rule.name] = file.path
                let values = rule.kind == .enum ? ", \(rule.values.count) values" : ""
                print("ok   \(file.path): \(rule.name) (\(rule.kind.rawValue)\(values), \(rule.features.count) features, refresh \(rule.refresh))")
            case .failure(let error):
                failures += 1
                print(error.description)
            }
        }
        print("\(results.count) files checked, \(failures) with errors")
        if failures > 0 { throw ExitCode(1) }
    }
}
