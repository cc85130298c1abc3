import Foundation
import Synchronization

/// What loading a rule file gave, remembered by content: the file's source,
/// its path, the limits and the state of the plugins directory.
///
/// A hostile file may spend its whole wall-time limit at load; without the
/// cache every `pending`, approval and watcher pass would pay that again.
/// Any edit of the file or of a plugin changes the key, so nothing stale is
/// ever served.
enum ScanCache {
    private static let entries = Mutex<[String: RuleFile]>([:])
    /// Entries kept at most (the cache is cleared when it would grow past this).
    static let capacity = 4_096

    static func key(path: String, source: String, plugins: String, limits: String) -> String {
        Hashing.sha256Hex([path, source, plugins, limits].joined(separator: "\u{0}"))
    }

    static func lookup(_ key: String) -> RuleFile? { entries.withLock { $0[key] } }

    static func store(_ file: RuleFile, under key: String) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = file
        }
    }

    /// Paths, sizes and modification times of every file under `directory`.
    static func fingerprint(of directory: URL?) -> String {
        guard let directory,
            let files = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey])
        else { return "" }
        var lines: [String] = []
        for case let url as URL in files {
            let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
            lines.append("\(url.path)|\(values?.fileSize ?? -1)|\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)")
        }
        return lines.sorted().joined(separator: "\n")
    }
}
