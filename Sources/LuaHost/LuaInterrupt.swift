import CLuaShim

/// A request to stop the call a ``LuaState`` is running, settable from any
/// thread (run cancellation, per-run wall limits, server shutdown).
///
/// Once ``request(_:)`` is called, the running call fails at its next check
/// (within 1,000 VM instructions or a few pattern-matching steps) with a
/// ``LuaError/Kind/cancelled`` error naming the script position and the
/// reason, whatever the script does to catch it. The request stays in force,
/// so every later call fails at once too, until ``clear()``.
public final class LuaInterrupt: @unchecked Sendable {
    /// The C side: an atomic flag and a locked reason, safe from any thread.
    let raw: OpaquePointer

    /// Creates an interrupt that is not requested.
    init?() {
        guard let raw = tagd_interrupt_new() else { return nil }
        self.raw = raw
    }

    deinit { tagd_interrupt_free(raw) }

    /// Requests the interrupt; the script's error reads `file:line: cancelled: <reason>`.
    public func request(_ reason: String) {
        reason.withCString { tagd_interrupt_set(raw, $0) }
    }

    /// Withdraws the request so that the next calls run normally.
    public func clear() { tagd_interrupt_clear(raw) }

    /// Whether the interrupt is requested.
    public var isRequested: Bool { tagd_interrupt_is_set(raw) != 0 }
}
