/// One CSV record with the physical line it starts on.
struct CSVRecord {
    /// 1-based line number of the record's first byte.
    var line: Int
    /// The cells, unquoted.
    var cells: [String]
    /// Set when the record could be delimited but is not usable.
    var problem: CSVScanner.Problem?
}

/// A streaming RFC 4180 CSV reader: `,` separators, `"` quoting with `""`
/// escapes, quoted cells may hold commas, quotes and line ends; `\n`, `\r\n`
/// or `\r` line ends. Blank lines are skipped. Line numbers count physical
/// lines, so embedded line ends do not shift later line numbers.
///
/// A quote still open at end of file makes its first physical line a
/// malformed record, and reading resumes on the next line, so that
/// ``ImportOptions/skipBad`` can report it and keep the good rows.
final class CSVReader {
    private let stream: ByteStream
    private let file: String
    private let maxRecordBytes: Int
    /// Line number of the next unconsumed byte.
    private var line = 1
    private var expectedCells = 8

    init(stream: ByteStream, file: String, maxRecordBytes: Int) {
        self.stream = stream
        self.file = file
        self.maxRecordBytes = maxRecordBytes
    }

    /// The next non-blank record, or `nil` at end of file.
    func next() throws(ImportError) -> CSVRecord? {
        while true {
            let atEOF = stream.isAtEOF
            let outcome = stream.buffer.withUnsafeBufferPointer { bytes in
                CSVScanner.scan(bytes, from: stream.start, final: atEOF, cellHint: expectedCells)
            }
            switch outcome {
            case .needMore:
                if stream.buffer.count - stream.start > maxRecordBytes {
                    throw ImportError(file: file, line: line, reason: .recordTooLong(limit: maxRecordBytes))
                }
                if try !stream.fill(), stream.start >= stream.buffer.count { return nil }
            case .blank(let end):
                stream.start = end
                line += 1
            case .end:
                return nil
            case .unterminated:
                let record = CSVRecord(
                    line: line, cells: [], problem: .malformed("quoted cell is never closed (missing '\"')"))
                stream.start = stream.buffer.withUnsafeBufferPointer { CSVScanner.endOfLine($0, from: stream.start) }
                line += 1
                return record
            case .record(let cells, let end, let newlines, let problem):
                let record = CSVRecord(line: line, cells: cells, problem: problem)
                stream.start = end
                line += newlines
                expectedCells = cells.count
                return record
            }
        }
    }
}
