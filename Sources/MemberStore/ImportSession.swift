/// The writing side of one running import, inside its write transaction.
final class ImportSession {
    let file: String
    let options: ImportOptions
    let writer: IngestWriter
    let totalBytes: Int64
    let start: ContinuousClock.Instant
    let progress: ((ImportProgress) -> Void)?
    private(set) var rowsRead = 0
    private(set) var badRowCount = 0
    private(set) var badRows: [ImportError] = []
    private var bytesConsumed: Int64 = 0

    init(
        file: String, options: ImportOptions, writer: IngestWriter, totalBytes: Int64,
        start: ContinuousClock.Instant, progress: ((ImportProgress) -> Void)?
    ) {
        self.file = file
        self.options = options
        self.writer = writer
        self.totalBytes = totalBytes
        self.start = start
        self.progress = progress
    }

    /// Writes every row from `pipe` until its last batch; throws (after
    /// stopping the reader) on a fatal error or, without `skipBad`, a bad row.
    func consume(_ pipe: ImportPipe) throws(ImportError) {
        while true {
            let batch = pipe.pop()
            bytesConsumed = batch.bytesConsumed
            for item in batch.items {
                try accept(item)
            }
            pipe.recycle(batch.items)
            if let fatal = batch.fatal { throw fatal }
            if batch.isLast { break }
        }
        report(finished: true)
    }

    private func accept(_ item: ImportPipe.Item) throws(ImportError) {
        rowsRead += 1
        switch item.record {
        case .success(let record):
            do {
                try writer.write(record, prepared: item.identities)
            } catch {
                throw ImportError(file: file, line: item.line, reason: .database("\(error)"))
            }
        case .failure(let error):
            guard options.skipBad else { throw error }
            badRowCount += 1
            if badRows.count < options.maxReportedErrors { badRows.append(error) }
        }
        if options.progressEvery > 0, rowsRead % options.progressEvery == 0 { report(finished: false) }
    }

    private func report(finished: Bool) {
        guard let progress else { return }
        progress(
            ImportProgress(
                rowsRead: rowsRead, bytesRead: finished ? totalBytes : bytesConsumed, totalBytes: totalBytes,
                elapsed: Importer.seconds(since: start), isFinished: finished))
    }
}
