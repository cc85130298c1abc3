#if canImport(Glibc)
import Glibc
#endif
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// SQLite's process-wide memory statistics (`SQLITE_CONFIG_MEMSTATUS`),
/// which tagd does not read: with them on, every allocation and free inside
/// SQLite takes a global mutex, a measurable share of a bulk import.
enum SQLiteMemoryStatistics {
    /// Turns the statistics off once per process, before the first
    /// connection opens (SQLite refuses, harmlessly, once it is
    /// initialised); whether that worked.
    static let disabled: Bool = {
        #if os(Linux)
        // `sqlite3_config` is variadic, which Swift does not import; on
        // Linux's x86-64 and AArch64 calling conventions an integer passed
        // to a variadic parameter travels as a fixed one does.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sqlite3_config") else { return false }
        let config = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        return config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK
        #else
        return false
        #endif
    }()
}
