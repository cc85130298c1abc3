import MemberStore
import TagEngine

/// The rule version a read-only command evaluates: a stored version by hash
/// prefix, or the file's current content.
struct RuleSourceChoice {
    var source: String
    var file: String
    var modules: [String: String]

    /// Resolves `version` (a hash prefix) of tag `name`, else the file that declares it.
    init(name: String, version: String?, store: MemberStore, files: [RuleFile]) throws {
        if let version {
            guard let stored = try store.pool.read({ db in
                try TagVersionRecord.fetchOne(db, sql: """
                    SELECT v.* FROM tag_versions v JOIN tags t ON t.id = v.tag_id WHERE t.name = ? AND v.hash LIKE ? || '%'
                    """, arguments: [name, version])
            }) else { throw CLIError("no version \(version) of \(name)") }
            (source, file, modules) = (stored.source, stored.file, stored.moduleSources)
        } else {
            guard let current = files.first(where: { $0.name == name }) else {
                throw CLIError("no rule file declares \"\(name)\" (or it does not load: tagd check)")
            }
            (source, file, modules) = (current.source, current.path, current.modules)
        }
    }
}
