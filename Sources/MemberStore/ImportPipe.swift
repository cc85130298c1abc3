import Foundation

/// A bounded hand-off of decoded rows from the parsing thread to the
/// writing thread, so that parsing and SQLite work overlap.
final class ImportPipe: @unchecked Sendable {
    /// One decoded row, the line it starts on and, when it is resolved by
    /// its channel identities, those identities prepared.
    struct Item: Sendable {
        var line: Int
        var record: Result<IngestRecord, ImportError>
        var identities: PreparedIdentities?
    }

    /// A group of rows; the last batch has `isLast` set, and `fatal` when
    /// reading stopped on an error that no row can be skipped past.
    struct Batch: Sendable {
        var items: [Item] = []
        var bytesConsumed: Int64 = 0
        var isLast = false
        var fatal: ImportError?
    }

    private let condition = NSCondition()
    private var queue: [Batch] = []
    /// Rows the writer has written, handed back so the reader frees them (the writer is the busier thread).
    private var spent: [[Item]] = []
    private let capacity: Int
    private var cancelled = false
    private var producerDone = false

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    /// Blocks while the pipe is full; returns `false` once the reader should stop.
    /// The rows the writer has handed back are released here, on the reader's thread.
    func push(_ batch: Batch) -> Bool {
        var written: [[Item]] = []
        defer { written.removeAll() }
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity, !cancelled { condition.wait() }
        swap(&written, &spent)
        if cancelled { return false }
        queue.append(batch)
        condition.broadcast()
        return true
    }

    /// Hands the rows of a written batch back to the reader, which frees them.
    func recycle(_ items: [Item]) {
        condition.lock()
        spent.append(items)
        condition.unlock()
    }

    /// Blocks until a batch is available.
    func pop() -> Batch {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty { condition.wait() }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Tells the reader to stop; pending batches are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the reader thread when it exits.
    func markProducerDone() {
        condition.lock()
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the reader thread has exited.
    func waitForProducer() {
        condition.lock()
        while !producerDone { condition.wait() }
        condition.unlock()
    }
}
