import Foundation
import Logging
import ServiceLifecycle
import TagEngine

/// Polls `rules/` and `plugins/` and, when anything changed, syncs the rules:
/// a new or edited file becomes a proposal, a deleted one flags its tag
/// orphaned, a broken one is recorded as that file's error. Nothing live
/// changes; realtime tags reload if their live versions changed.
public struct RuleWatcher: Service {
    let state: ServerState
    let logger = Logger(label: "tagd.watcher")

    /// Creates the watcher for `state`.
    public init(state: ServerState) { self.state = state }

    /// Checks both directories every `watchInterval` and syncs on change, until graceful shutdown.
    public func run() async throws {
        var last = ""
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let current = fingerprint()
            if current != last {
                last = current
                await sync()
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: state.configuration.watchInterval) }
        }
    }

    /// Paths, sizes and modification times of every file in both directories.
    func fingerprint() -> String {
        var entries: [String] = []
        for root in [state.configuration.rulesDirectory, state.configuration.pluginsDirectory] {
            guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey])
            else { continue }
            for case let url as URL in files {
                let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                entries.append("\(url.path)|\(values?.fileSize ?? -1)|\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)")
            }
        }
        return entries.sorted().joined(separator: "\n")
    }

    func sync() async {
        do {
            let report = try await state.ruleWork { () -> TagRegistry.SyncReport in
                let files = try state.catalog.scan()
                let report = try state.registry.sync(files)
                try state.realtime.reloadIfNeeded(at: state.configuration.clock())
                return report
            }
            for name in report.proposed { logger.info("proposal: \(name)") }
            for name in report.orphaned { logger.warning("orphaned: \(name) (its file is gone)") }
            for error in report.errors { logger.warning("rule error: \(error)") }
        } catch {
            logger.error("rules sync failed: \(error)")
        }
    }
}
