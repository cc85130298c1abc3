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
public enum ProcessMemory {
    /// The threshold above which allocations are mapped on their own.
    public static let mmapThresholdBytes = 1 << 20

    /// Fixes the allocator's mmap threshold (`mallopt(M_MMAP_THRESHOLD)`);
    /// call once at process start. A no-op off glibc.
    public static func mapLargeAllocationsApart() {
        #if canImport(Glibc)
        // M_MMAP_THRESHOLD is -3 in <malloc.h> (not in Swift's Glibc module).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            _ = unsafeBitCast(symbol, to: Mallopt.self)(-3, Int32(mmapThresholdBytes))
        }
        #endif
    }

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
