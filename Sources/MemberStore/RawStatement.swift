import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// A GRDB statement whose parameters are bound with the SQLite C API, for
/// the hot ingest loop (GRDB's `StatementArguments` costs more than the
/// insert itself). Execution still goes through GRDB, so transaction
/// observers see every change.
public struct RawStatement {
    /// The GRDB statement.
    public let statement: Statement
    private let handle: OpaquePointer
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Wraps a prepared (preferably cached) statement.
    public init(_ statement: Statement) {
        self.statement = statement
        self.handle = statement.sqliteStatement
        // Marks the (empty) arguments as valid, so `execute()` keeps our bindings.
        statement.setUncheckedArguments(StatementArguments())
    }

    /// Resets the statement so new values can be bound.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// Binds text (or NULL) to parameter `index` (1-based).
    public func bind(_ index: Int32, _ value: String?) {
        guard var text = value else { sqlite3_bind_null(handle, index); return }
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(
                handle, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                Int32(bytes.count), RawStatement.transient)
        }
    }

    /// Binds an integer (or NULL) to parameter `index` (1-based).
    public func bind(_ index: Int32, _ value: Int64?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds an integer (or NULL) to parameter `index` (1-based).
    public func bind(_ index: Int32, _ value: Int?) {
        bind(index, value.map(Int64.init))
    }

    /// Binds a float to parameter `index` (1-based).
    public func bind(_ index: Int32, _ value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    /// Binds a boolean as 0/1 to parameter `index` (1-based).
    public func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    /// Binds bytes as a blob to parameter `index` (1-based); SQLite copies them.
    public func bind(_ index: Int32, blob bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), RawStatement.transient)
        }
    }

    /// Runs the statement to completion through GRDB.
    public func execute() throws {
        try statement.execute()
    }

    /// Runs a bound write to completion with the C API alone, without
    /// GRDB's per-statement bookkeeping (for the ingest loop, where that
    /// bookkeeping costs more than a small insert): GRDB transaction
    /// observers do not see the change (this project registers none; the
    /// `change_log` is its change tracking). Use inside a transaction only.
    public func executeDirectly() throws {
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE: return
            case SQLITE_ROW: continue
            case let code:
                let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
            }
        }
    }

    /// Rows the connection's last write changed (`sqlite3_changes`), read
    /// without GRDB's scheduling checks (the ingest loop asks after every row).
    public var changes: Int {
        Int(sqlite3_changes(sqlite3_db_handle(handle)))
    }

    /// The row id of the connection's last insert (`sqlite3_last_insert_rowid`), without GRDB's scheduling checks.
    public var lastInsertedRowID: Int64 {
        sqlite3_last_insert_rowid(sqlite3_db_handle(handle))
    }

    /// Steps a bound query (no GRDB cursor): its first row's integer
    /// columns `0` and `1` (`nil` for NULL), or `nil` when it has no row.
    /// For reads only: writes must go through ``execute()``.
    public func fetchPair() throws -> (Int64, Int64?)? {
        defer { sqlite3_reset(handle) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            let second = sqlite3_column_count(handle) > 1 && sqlite3_column_type(handle, 1) != SQLITE_NULL
                ? sqlite3_column_int64(handle, 1) : nil
            return (sqlite3_column_int64(handle, 0), second)
        case SQLITE_DONE:
            return nil
        case let code:
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                sql: statement.sql)
        }
    }
}
