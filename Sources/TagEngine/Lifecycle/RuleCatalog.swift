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

    /// Relative paths of every `.lua` file, sorted. Symbolic links are listed
    /// too (so that reading them reports the refusal) but never followed into.
    public func paths() throws -> [String] {
        let root = directory.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw RuleError(file: root, "rules directory not found")
        }
        var result: [String] = []
        while let path = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeSymbolicLink {
                enumerator.skipDescendants()
                if path.hasSuffix(".lua") || SafeFile.symlink(in: path, under: directory) != nil { result.append(path) }
                continue
            }
            if path.hasSuffix(".lua") { result.append(path) }
        }
        return result.sorted()
    }

    // MERGE-CHECKREQUIRES

    /// A segment's reach plugins must exist and accept its configuration.
    static func checkReach(_ rule: RuleDefinition, plugins: PluginLoader) throws(RuleError) {
        for (name, config) in rule.reach.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try plugins.validate(config, for: try plugins.plugin(name), segment: rule.name)
            } catch {
                throw RuleError(file: rule.file, line: rule.line, "segment \"\(rule.name)\" reach.\(name): \(error.message)")
            }
        }
    }

    /// Loads every rule file (or only `only`, paths relative to the directory).
    public func scan(only: [String]? = nil) throws -> [RuleFile] {
        let pluginsState = ScanCache.fingerprint(of: pluginsDirectory)
        let limitsKey = "\(limits)"
        return try (only ?? paths()).map { path in
            let source: String
            do {
                source = try SafeFile.read(path, under: directory, shownAs: path)
            } catch {
                return RuleFile(path: path, source: "", hash: "", outcome: .failure(RuleError(file: path, "cannot read: \(error)")))
            }
            let key = ScanCache.key(path: path, source: source, plugins: pluginsState, limits: limitsKey)
            if let known = ScanCache.lookup(key) { return known }
            let file = try load(path: path, source: source)
            ScanCache.store(file, under: key)
            return file
        }
    }

    /// Loads one file in a state of its own (so one file's memory or globals
    /// never affect the next), recording the modules and reach plugins its
    /// version freezes.
    private func load(path: String, source: String) throws -> RuleFile {
        let lua = try LuaState(limits: limits, pluginsDirectory: pluginsDirectory?.path)
        let loader = RuleLoader(lua: lua)
        let plugins = PluginLoader(lua: lua, directory: pluginsDirectory)
        let outcome = Result { () throws(RuleError) -> RuleSummary in
            let rule = try loader.load(source: source, file: path)
            try Self.checkReach(rule, plugins: plugins)
            // MERGE: try Self.checkRequires(source, file: path)
            return RuleSummary(rule)
        }
        let modules = lua.requiredModules().merging(plugins.readSources) { $1 }
        var file = RuleFile(path: path, source: source, hash: RuleFile.versionHash(source: source, modules: modules), outcome: outcome)
        file.modules = modules
        return file
    }
}

/// Checks a loaded rule's reach plugins from outside the engine (`tagd check FILE`).
public struct PluginLoaderFacade {
    let plugins: PluginLoader

    /// Plugins resolve in `directory`, loaded into `lua`.
    public init(lua: LuaState, directory: URL?) { plugins = PluginLoader(lua: lua, directory: directory) }

    /// The rule's summary once its reach configuration is valid.
    public func check(_ rule: RuleDefinition) throws(RuleError) -> RuleSummary {
        try RuleCatalog.checkReach(rule, plugins: plugins)
        return RuleSummary(rule)
    }
}
