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

    /// Every `require` must name its module with a string literal, so that the
    /// version can freeze exactly the libraries the rule can load.
    public static func checkRequires(_ source: String, file: String) throws(RuleError) {
        for call in LuaSource.requireCalls(in: source) where call.name == nil {
            throw RuleError(
                file: file, line: call.line,
                "require needs a literal module name, as in require \"lib.util\" (a name built at run time cannot be frozen with the version)")
        }
    }

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
            if IdentityRules.isIdentityFile(path) {
                let (policy, owner) = try IdentityRules.load(source: source, file: path, limits: limits)
                return RuleSummary(identity: policy, owner: owner)
            }
            let rule = try loader.load(source: source, file: path)
            try Self.checkReach(rule, plugins: plugins)
            try Self.checkRequires(source, file: path)
            return RuleSummary(rule)
        }
        var modules = lua.requiredModules().merging(plugins.readSources) { $1 }
        // A literal `require` that only runs inside evaluate is frozen too.
        if let pluginsDirectory {
            for call in LuaSource.requireCalls(in: source) {
                guard let name = call.name, modules[name] == nil else { continue }
                let relative = name.replacingOccurrences(of: ".", with: "/") + ".lua"
                if let text = try? SafeFile.read(relative, under: pluginsDirectory, shownAs: "plugins/" + relative) {
                    modules[name] = text
                }
            }
        }
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
