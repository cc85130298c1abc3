import Foundation
import LuaHost

/// Reads the rules directory: every `.lua` file at any depth, loaded in a
/// sandbox to learn what it declares. Loading runs only the file's top level
/// (the `tag { ... }` table), never `evaluate`.
public struct RuleCatalog: Sendable {
    /// The rules directory.
    public let directory: URL
    /// The plugins directory `require` resolves in.
    public let pluginsDirectory: URL?
    /// Caps for loading.
    public let limits: LuaLimits

    /// Creates a catalog over `directory`.
    public init(directory: URL, pluginsDirectory: URL? = nil, limits: LuaLimits = .default) {
        self.directory = directory
        self.pluginsDirectory = pluginsDirectory
        self.limits = limits
    }

    /// Relative paths of every `.lua` file, sorted.
    public func paths() throws -> [String] {
        let root = directory.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw RuleError(file: root, "rules directory not found")
        }
        var result: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(".lua") { result.append(path) }
        }
        return result.sorted()
    }

    /// Loads every rule file (or only `only`, paths relative to the directory).
    public func scan(only: [String]? = nil) throws -> [RuleFile] {
        let lua = try LuaState(limits: limits, pluginsDirectory: pluginsDirectory?.path)
        let loader = RuleLoader(lua: lua)
        return try (only ?? paths()).map { path in
            let url = directory.appendingPathComponent(path)
            let source: String
            do {
                source = try String(contentsOf: url, encoding: .utf8)
            } catch {
                return RuleFile(path: path, source: "", hash: "", outcome: .failure(RuleError(file: path, "cannot read: \(error.localizedDescription)")))
            }
            let outcome = Result { () throws(RuleError) -> RuleSummary in
                RuleSummary(try loader.load(source: source, file: path))
            }
            return RuleFile(path: path, source: source, hash: SHA256.hex(source), outcome: outcome)
        }
    }
}
