/// The state of one running import, inside its write transaction.
final class ImportSession {
    let kind: RecordKind
    let file: String
    let options: ImportOptions
    let writer: IngestWriter
    let decoder: RecordDecoder
    let stream: ByteStream
    let start: ContinuousClock.Instant
    let progress: ((ImportProgress) -> Void)?
    private(set) var rowsRead = 0
    private(set) var badRowCount = 0
    private(set) var badRows: [ImportError] = []

    init(
        kind: RecordKind, file: String, options: ImportOptions, writer: IngestWriter, stream: ByteStream,
        start: ContinuousClock.Instant, progress: ((ImportProgress) -> Void)?
    ) {
        self.kind = kind
        self.file = file
        self.options = options
        self.writer = writer
        self.decoder = RecordDecoder(kind: kind)
        self.stream = stream
        self.start = start
        self.progress = progress
    }

    /// Handles one data row: writes it, or records / throws its error.
    func accept(_ decoded: Result<IngestRecord, ImportError>) throws(ImportError) {
        rowsRead += 1
        switch decoded {
        case .success(let record):
            do {
                try writer.write(record)
            } catch {
                throw ImportError(file: file, line: nil, reason: .database("row \(rowsRead): \(error)"))
            }
        case .failure(let error):
            guard options.skipBad else { throw error }
            badRowCount += 1
            if badRows.count < options.maxReportedErrors { badRows.append(error) }
        }
        if options.progressEvery > 0, rowsRead % options.progressEvery == 0 { report(finished: false) }
    }

    /// Sends a progress report.
    func report(finished: Bool) {
        guard let progress else { return }
        progress(
            ImportProgress(
                rowsRead: rowsRead, bytesRead: finished ? stream.totalBytes : stream.bytesConsumed,
                totalBytes: stream.totalBytes, elapsed: Importer.seconds(since: start), isFinished: finished))
    }

    /// Decodes one row, mapping field errors to an ``ImportError`` at `line`.
    func decode<Row: FieldRow>(_ row: Row, line: Int, label: String) -> Result<IngestRecord, ImportError> {
        do {
            return .success(try decoder.decode(row: row))
        } catch {
            return .failure(ImportError(file: file, line: line, reason: .invalidFields(error.fields, label: label)))
        }
    }
}

extension ImportSession {
    /// Reads a CSV file: header line, then one record per row.
    func readCSV() throws(ImportError) {
        let reader = CSVReader(stream: stream, file: file)
        guard let headerRecord = try reader.next() else {
            throw ImportError(file: file, line: 1, reason: .missingHeader)
        }
        if let why = headerRecord.malformed {
            throw ImportError(file: file, line: headerRecord.line, reason: .malformedCSV(why))
        }
        let layout = try CSVLayout(header: headerRecord.cells, kind: kind, file: file, line: headerRecord.line)
        let width = layout.header.count
        while let record = try reader.next() {
            if let why = record.malformed {
                try accept(.failure(ImportError(file: file, line: record.line, reason: .malformedCSV(why))))
            } else if record.cells.count != width {
                try accept(
                    .failure(
                        ImportError(
                            file: file, line: record.line, reason: .cellCount(expected: width, found: record.cells.count))))
            } else {
                try accept(decode(CSVRow(layout: layout, cells: record.cells), line: record.line, label: "column"))
            }
        }
        report(finished: true)
    }

    /// Reads an NDJSON file: one JSON object per non-blank line.
    func readNDJSON() throws(ImportError) {
        let reader = LineReader(stream: stream)
        while let decoded = try reader.next({ bytes, line in parseLine(bytes, line: line) }) {
            try accept(decoded)
        }
        report(finished: true)
    }

    private func parseLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Result<IngestRecord, ImportError> {
        var parser = JSONParser(bytes)
        let value: JSONValue
        do {
            value = try parser.parseDocument()
        } catch {
            return .failure(ImportError(file: file, line: line, reason: .invalidJSON(error.description)))
        }
        guard case .object(let object) = value else {
            let what = bytes.first == UInt8(ascii: "[") ? "an array" : "not an object"
            return .failure(
                ImportError(file: file, line: line, reason: .invalidJSON("expected one JSON object per line, got \(what)")))
        }
        return decode(JSONObjectRow(object: object, kind: kind), line: line, label: "field")
    }
}
