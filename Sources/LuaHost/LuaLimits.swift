/// Resource caps applied to every script a ``LuaState`` runs.
public struct LuaLimits: Sendable, Hashable {
    /// Maximum VM instructions for one call from the host (checked every
    /// 1,000 instructions); `0` means unlimited.
    public var instructionsPerCall: Int64
    /// Maximum bytes the state may hold at once; `0` means unlimited.
    public var memoryBytes: Int

    /// Creates limits.
    public init(instructionsPerCall: Int64 = 10_000_000, memoryBytes: Int = 256 << 20) {
        self.instructionsPerCall = instructionsPerCall
        self.memoryBytes = memoryBytes
    }

    /// The defaults: 10 million instructions per call and 256 MiB.
    public static let `default` = LuaLimits()
}
