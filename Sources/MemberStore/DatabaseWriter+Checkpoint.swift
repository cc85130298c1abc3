import GRDB

extension DatabaseWriter {
    /// Copies what it can of the WAL into the database file without waiting
    /// for readers or writers (a passive checkpoint).
    ///
    /// Another connection checkpointing at the same moment (the server's
    /// store maintenance, a second `tagd run`) makes SQLite answer
    /// `SQLITE_BUSY`: that checkpoint does the same work, so this one is
    /// skipped. Any other error is thrown.
    ///
    /// - Returns: whether this call made the checkpoint.
    @discardableResult
    public func checkpointUnlessBusy() throws -> Bool {
        do {
            try writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            return true
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return false
        }
    }
}
