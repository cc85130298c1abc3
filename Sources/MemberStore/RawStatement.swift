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

    /// Runs the statement to completion through GRDB.
    public func execute() throws {
        try statement.execute()
    }
}
