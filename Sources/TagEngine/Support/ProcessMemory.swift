import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How the process's allocator treats the large arrays runs make (a feature
/// column, a rule's values or pop recording: megabytes each at 1M members).
///
/// glibc raises its mmap threshold each time a large block is freed, up to
/// 32 MB, so after the first few columns every later one comes from a heap
/// that keeps it when freed: a run's memory grows rule by rule. With a fixed
/// threshold of 1 MB each large array gets pages of its own, which go back
/// to the system when it is freed (a full run of the shipped rules over 1M
/// members peaked at 557 MB instead of 661 MB, at the same speed).
///
/// An incremental run is the other way round: each rule reads its snapshot
/// (columns and recording of every member) and frees it, and the next rule
/// reads one of about the same size. Pages of their own are then faulted in
/// and zeroed by the kernel again for every rule; from the heap they are
/// reused (a refresh of the shipped rules after new orders for 100 of 1M
/// members: system time 0.8 s -> 0.5 s, peak 320 -> 341 MB). A run says
/// which kind of work comes (``prepare(for:)``).
public enum ProcessMemory {
    /// The threshold above which allocations are mapped on their own, for full passes.
    public static let mmapThresholdBytes = 1 << 20
    /// The threshold for incremental work: snapshots of 1M members come from the heap.
    public static let patchingThresholdBytes = 64 << 20

    /// What the work about to start allocates.
    public enum Workload: Sendable {
        /// A full feature pass: many columns of every member, freed at different times.
        case fullPass
        /// Incremental runs: one snapshot after another, of about the same size.
        case patching
    }

    /// Fixes the allocator's mmap threshold for `workload`
    /// (`mallopt(M_MMAP_THRESHOLD)`): a process-wide setting that decides
    /// where later large blocks come from, never whether they are correct.
    /// A no-op off glibc.
    public static func prepare(for workload: Workload) {
        #if canImport(Glibc)
        // M_MMAP_THRESHOLD is -3 in <malloc.h> (not in Swift's Glibc module).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let bytes = workload == .fullPass ? mmapThresholdBytes : patchingThresholdBytes
            _ = unsafeBitCast(symbol, to: Mallopt.self)(-3, Int32(bytes))
        }
        #endif
    }

    /// ``prepare(for:)`` a full pass; call once at process start.
    public static func mapLargeAllocationsApart() { prepare(for: .fullPass) }

    /// Gives the memory a run freed back to the system: glibc keeps freed
    /// small blocks in its heaps, so a server would otherwise hold a full
    /// run's peak for ever. Runs call it after a full pass (an incremental
    /// run frees little, and trimming costs more than it returns).
    public static func returnFreed() {
        #if canImport(Glibc)
        // malloc_trim is glibc's (<malloc.h>, not in Swift's Glibc module).
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }
}
