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
    /// - Parameter progress: called every ``ImportOptions/progressEvery`` rows
    ///   and once at the end, on the calling thread.
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
        let session: ImportSession
        do {
            // Throwing out of the closure rolls the whole file back.
            session = try store.pool.write { db in
                let previousCacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = \(-Self.importCacheKiB)")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(previousCacheSize)") }
                let session = try ImportSession(
                    kind: kind, file: file, options: options, writer: IngestWriter(db: db), stream: stream,
                    start: start, progress: progress)
                switch format {
                case .csv: try session.readCSV()
                case .ndjson: try session.readNDJSON()
                }
                return session
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError(file: file, reason: .database("\(error)"))
        }
        try? store.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        return ImportSummary(
            kind: kind, file: file, format: format, rowsRead: session.rowsRead, counts: session.writer.counts,
            badRowCount: session.badRowCount, badRows: session.badRows,
            seconds: Self.seconds(since: start))
    }

    /// Page cache for the import connection: big enough that index pages of
    /// large tables stay in memory during one big transaction.
    static let importCacheKiB = 256 * 1024

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
