/// Resource caps applied to every script a ``LuaState`` runs.
public struct LuaLimits: Sendable, Hashable {
    /// Maximum instructions for one call from the host: VM instructions
    /// (checked every 1,000) plus the work C library functions do on the
    /// script's behalf (pattern matching steps, bytes produced by
    /// `string.rep`, `string.format`, `table.concat`, ...); `0` means unlimited.
    public var instructionsPerCall: Int64
    /// Maximum bytes the state may hold at once; `0` means unlimited.
    public var memoryBytes: Int
    /// Maximum wall time for one call from the host (checked every 1,000
    /// instructions and during pattern matching); `.zero` means unlimited.
    public var wallTimePerCall: Duration

    /// Creates limits.
    public init(
        instructionsPerCall: Int64 = 10_000_000, memoryBytes: Int = 256 << 20, wallTimePerCall: Duration = .seconds(5)
    ) {
        self.instructionsPerCall = instructionsPerCall
        self.memoryBytes = memoryBytes
        self.wallTimePerCall = wallTimePerCall
    }

    /// The defaults: 10 million instructions, 256 MiB and 5 seconds per call.
    public static let `default` = LuaLimits()

    /// ``wallTimePerCall`` in nanoseconds (`0` when unlimited or negative).
    var wallTimeNanoseconds: Int64 {
        let (seconds, attoseconds) = wallTimePerCall.components
        guard seconds >= 0, wallTimePerCall > .zero else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max / 2 : whole + attoseconds / 1_000_000_000
    }
}
