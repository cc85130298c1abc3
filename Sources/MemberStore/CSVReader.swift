/// One CSV record with the physical line it starts on.
struct CSVRecord {
    /// 1-based line number of the record's first byte.
    var line: Int
    /// The cells, unquoted.
    var cells: [String]
    /// Set when quoting was broken but the record could still be delimited.
    var malformed: String?
}

/// A streaming RFC 4180 CSV reader: `,` separators, `"` quoting with `""`
/// escapes, quoted cells may hold commas, quotes and newlines; `\n` or
/// `\r\n` line ends. Blank lines are skipped. Line numbers count physical
/// lines, so embedded newlines do not shift later line numbers.
final class CSVReader {
    private let stream: ByteStream
    private let file: String
    /// Line number of the next unconsumed byte.
    private var line = 1
    private var expectedCells = 8

    init(stream: ByteStream, file: String) {
        self.stream = stream
        self.file = file
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
                if try !stream.fill(), stream.start >= stream.buffer.count { return nil }
            case .blank(let end):
                stream.start = end
                line += 1
            case .end:
                return nil
            case .unterminated:
                throw ImportError(
                    file: file, line: line, reason: .malformedCSV("quoted cell is never closed (missing '\"')"))
            case .record(let cells, let end, let newlines, let malformed):
                let record = CSVRecord(line: line, cells: cells, malformed: malformed)
                stream.start = end
                line += newlines
                expectedCells = cells.count
                return record
            }
        }
    }
}
