import Foundation

/// Counts kept in memory and written to the store in batches.
///
/// ``flush(_:)`` hands the counts gathered so far to a write and starts
/// afresh; when the write throws, what it was handed is put back, merged
/// with what was counted meanwhile, so a busy store delays counts but never
/// loses them. Used by ``TagReadCounter`` and by the server's log of refused
/// requests.
public final class PendingCounts<Key: Hashable & Sendable, Tally: Sendable>: @unchecked Sendable {
    private var pending: [Key: Tally] = [:]
    private let lock = NSLock()
    private let merge: @Sendable (inout Tally, Tally) -> Void

    /// Creates an empty set of counts that combines two tallies of one key
    /// with `merge`.
    public init(merge: @escaping @Sendable (inout Tally, Tally) -> Void) {
        self.merge = merge
    }

    /// Adds `tally` under `key`. When `key` is new and `limit` keys are held
    /// already, the tally goes under `overflow` instead (so that memory stays
    /// bounded whatever the keys).
    public func add(_ tally: Tally, for key: Key, limit: Int = .max, overflow: Key? = nil) {
        lock.withLock {
            var key = key
            if pending[key] == nil, pending.count >= limit, let overflow { key = overflow }
            Self.add(tally, for: key, to: &pending, merge: merge)
        }
    }

    /// The counts not yet written.
    public var unflushed: [Key: Tally] { lock.withLock { pending } }

    /// Takes the counts and passes them to `write` (not called when there
    /// are none); if it throws they are put back and the error rethrown.
    public func flush(_ write: ([Key: Tally]) throws -> Void) throws {
        let batch = lock.withLock {
            let taken = pending
            pending.removeAll()
            return taken
        }
        guard !batch.isEmpty else { return }
        do {
            try write(batch)
        } catch {
            lock.withLock {
                for (key, tally) in batch { Self.add(tally, for: key, to: &pending, merge: merge) }
            }
            throw error
        }
    }

    private static func add(
        _ tally: Tally, for key: Key, to pending: inout [Key: Tally], merge: (inout Tally, Tally) -> Void
    ) {
        if var held = pending[key] {
            merge(&held, tally)
            pending[key] = held
        } else {
            pending[key] = tally
        }
    }
}
