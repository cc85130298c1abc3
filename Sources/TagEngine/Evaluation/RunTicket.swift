import Foundation
import Synchronization

/// One rule's run in flight: its `runs` row, its deadline, and whether an
/// operator or the time limit stopped it.
///
/// The evaluator asks ``stopReason`` after every member; hooks registered
/// with ``onStop(_:)`` (such as interrupting the rule's Lua state, which
/// stops it even inside one long call) run once, on the thread that stops it.
public final class RunTicket: Sendable {
    /// The `runs` row.
    public let runID: Int64
    /// The tag.
    public let tag: String
    /// When the rule must be done.
    public let deadline: Date
    /// The limit behind the deadline, in seconds (for messages).
    public let limitSeconds: Int
    private let state = Mutex<(reason: String?, hooks: [@Sendable (String) -> Void])>((nil, []))

    init(runID: Int64, tag: String, limitSeconds: Int, now: Date = Date()) {
        self.runID = runID
        self.tag = tag
        self.limitSeconds = limitSeconds
        self.deadline = now.addingTimeInterval(TimeInterval(limitSeconds))
    }

    /// Why the run was stopped, or `nil` while it may go on.
    public var stopReason: String? {
        if let reason = state.withLock({ $0.reason }) { return reason }
        if Date() >= deadline { stop("exceeded its run time limit of \(limitSeconds) s (setting run_time_limit)") }
        return state.withLock { $0.reason }
    }

    /// Stops the run with `reason` (the first reason wins); returns whether this call stopped it.
    @discardableResult
    public func stop(_ reason: String) -> Bool {
        let hooks: [@Sendable (String) -> Void]? = state.withLock { s in
            guard s.reason == nil else { return nil }
            s.reason = reason
            return s.hooks
        }
        hooks?.forEach { $0(reason) }
        return hooks != nil
    }

    /// Runs `hook` when the run is stopped (at once if it already is).
    public func onStop(_ hook: @escaping @Sendable (String) -> Void) {
        let reason: String? = state.withLock { s in
            if s.reason == nil { s.hooks.append(hook) }
            return s.reason
        }
        if let reason { hook(reason) }
    }
}
