import GRDB

/// Imports a CSV or NDJSON file of members, orders or events into a
/// ``MemberStore`` (what `tagd import members|orders|events FILE` runs).
///
/// The file is streamed in chunks and written in a single transaction: by
/// default the first bad row aborts the import and nothing of the file is
/// stored; with ``ImportOptions/skipBad`` bad rows are skipped and reported.
public struct Importer: Sendable {
    /// The destination store.
    public let store: MemberStore
    /// Import behaviour.
    public var options: ImportOptions

    /// Creates an importer.
    public init(store: MemberStore, options: ImportOptions = ImportOptions()) {
        self.store = store
        self.options = options
    }

    /// Imports `file` as records of `kind`.
    ///
    /// The file is parsed on a helper thread while rows are written on the
    /// database writer's queue.
    ///
    /// - Parameter progress: called every ``ImportOptions/progressEvery`` rows
    ///   and once at the end, synchronously from the writer's queue (not
    ///   necessarily the calling thread); keep it cheap.
    /// - Throws: ``ImportError`` naming file, line and column; nothing of the
    ///   file is stored when it throws.
    public func run(
        _ kind: RecordKind, file: String, progress: ((ImportProgress) -> Void)? = nil
    ) throws(ImportError) -> ImportSummary {
        let start = ContinuousClock.now
        let stream = try ByteStream(path: file, chunkSize: max(1, options.chunkSize))
        try stream.skipByteOrderMark()
        let format: ImportFormat
        if let chosen = options.format ?? ImportFormat.forExtension(of: file) {
            format = chosen
        } else {
            format = try Self.sniff(stream)
        }
        let options = self.options
        let totalBytes = stream.totalBytes
        let pipe = ImportPipe()
        RecordProducer(
            kind: kind, file: file, format: format, stream: stream, pipe: pipe,
            maxRecordBytes: max(1, options.maxRecordBytes), policy: options.identityPolicy
        ).start()
        let session: ImportSession
        do {
            // Throwing out of the transaction rolls the whole file back.
            session = try store.bulkWrite { db in
                // Rows change members without per-row triggers; the change log is written set-wise.
                let pause = try ChangeLogPause(db)
                // A large import into a small store builds the attribute indexes once at the end.
                let indexes = try IndexPause(db, kind: kind, inputBytes: totalBytes)
                let writer = try IngestWriter(db: db)
                writer.policy = options.identityPolicy
                try writer.deferChangeLog()
                if options.identityPolicy != nil {
                    // About one identity per 48 bytes of input (a record of two or three in some 100 bytes).
                    try writer.deferIdentities(expected: Int(totalBytes / 48))
                    // The identities stored before; those the import writes are known to it.
                    try writer.useIdentityFilter()
                }
                let session = try ImportSession(
                    file: file, options: options, writer: writer, totalBytes: totalBytes, start: start, progress: progress)
                do {
                    try session.consume(pipe)
                } catch {
                    pipe.cancel()
                    pipe.waitForProducer()
                    throw error
                }
                try writer.writePendingIdentities()
                try writer.writeDeferredChangeLog()
                try pause.restore(db)
                try indexes.restore(db)
                return session
            }
        } catch let error as ImportError {
            throw error
        } catch {
            pipe.cancel()
            pipe.waitForProducer()
            throw ImportError(file: file, reason: .database("\(error)"))
        }
        return ImportSummary(
            kind: kind, file: file, format: format, rowsRead: session.rowsRead, counts: session.writer.counts,
            conflicts: session.writer.conflicts,
            badRowCount: session.badRowCount, badRows: session.badRows,
            seconds: Self.seconds(since: start))
    }

    private static func sniff(_ stream: ByteStream) throws(ImportError) -> ImportFormat {
        try stream.firstSignificantByte() == UInt8(ascii: "{") ? .ndjson : .csv
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

extension MemberStore {
    /// Imports a file; see ``Importer/run(_:file:progress:)``.
    public func importFile(
        _ file: String, kind: RecordKind, options: ImportOptions = ImportOptions(),
        progress: ((ImportProgress) -> Void)? = nil
    ) throws(ImportError) -> ImportSummary {
        try Importer(store: self, options: options).run(kind, file: file, progress: progress)
    }
}
