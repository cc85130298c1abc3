import Foundation
import GRDB
import LuaHost
import MemberStore

/// The identity rules file, `rules/identity.lua`, returning `identity { ... }`:
/// merge keys in priority order, normalisation, per-channel limits, blocked
/// values, the conflict policy, the survivor rule and the attribute policy.
///
/// It follows the tag lifecycle under the name `identity` (kind `identity`):
/// a new or edited file is a proposal, approval binds to its version hash,
/// every step is audited; ingest resolves by the live (approved) version only.
public enum IdentityRules {
    /// The file, relative to the rules directory.
    public static let file = "identity.lua"
    /// The lifecycle name (and `tags.kind`).
    public static let name = "identity"

    /// Whether `path` (relative to the rules directory) is the identity rules file.
    public static func isIdentityFile(_ path: String) -> Bool { path == file }

    /// Parses `source` (in a fresh sandbox with `limits`) into a policy.
    public static func parse(source: String, file: String = file, limits: LuaLimits = .default) throws(RuleError) -> IdentityPolicy {
        try load(source: source, file: file, limits: limits).policy
    }

    /// The policy and the file's `owner` (who may not approve it under four-eyes).
    static func load(source: String, file: String, limits: LuaLimits) throws(RuleError) -> (policy: IdentityPolicy, owner: String) {
        let value: LuaValue
        do {
            let lua = try LuaState(limits: limits)
            RuleDSL.install(in: lua)
            value = try lua.run(source, chunkName: file)
        } catch let error as LuaError {
            throw RuleError.fromLua(error, file: file)
        } catch {
            throw RuleError(file: file, "\(error)")
        }
        guard case .table(let fields) = value, case .table(let mark) = fields[RuleDSL.marker] ?? .nil,
            mark["declares"]?.stringValue == name
        else { throw RuleError(file: file, "the file must return identity { ... } (it returned a \(value.typeName))") }
        let policy = try IdentityRulesParser(file: file, line: Int(mark["line"]?.intValue ?? 0), fields: fields).parse()
        return (policy, fields["owner"]?.stringValue ?? "")
    }

    /// The live (approved) policy, with its version hash, or `nil` when none is approved.
    public static func live(in pool: DatabasePool, limits: LuaLimits = .default) throws -> IdentityPolicy? {
        let version = try pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT v.source, v.hash, v.file FROM tags t JOIN tag_versions v ON v.id = t.live_version_id WHERE t.kind = ? AND t.state = 'active'",
                arguments: [name])
        }
        guard let version else { return nil }
        var policy = try parse(source: version[0], file: version[2], limits: limits)
        policy.version = version[1]
        return policy
    }
}

extension RuleSummary {
    /// The summary of the identity rules file (name `identity`, the keys as its features).
    public init(identity policy: IdentityPolicy, owner: String) {
        name = IdentityRules.name
        title = "Identity rules"
        category = "identity"
        self.owner = owner
        kind = .label
        values = []
        refresh = ""
        features = policy.keys
        isSegment = false
        isIdentity = true
        reach = []
        dependencies = []
    }
}
