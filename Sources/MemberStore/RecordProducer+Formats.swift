extension RecordProducer {
    /// Reads a CSV file: header line, then one record per row.
    func readCSV() throws(ImportError) {
        let reader = CSVReader(stream: stream, file: file, maxRecordBytes: maxRecordBytes)
        guard let headerRecord = try reader.next() else {
            throw ImportError(file: file, line: 1, reason: .missingHeader)
        }
        switch headerRecord.problem {
        case nil: break
        case .malformed(let why):
            throw ImportError(file: file, line: headerRecord.line, reason: .malformedCSV(why))
        case .invalidUTF8(let cell, let why):
            throw ImportError(file: file, line: headerRecord.line, reason: .malformedCSV("header column \(cell + 1) \(why)"))
        }
        let layout = try CSVLayout(header: headerRecord.cells, kind: kind, file: file, line: headerRecord.line)
        let width = layout.header.count
        while let record = try reader.next() {
            let line = record.line
            let decoded: Result<IngestRecord, ImportError>
            if case .malformed(let why) = record.problem {
                decoded = .failure(ImportError(file: file, line: line, reason: .malformedCSV(why)))
            } else if record.cells.count != width {
                decoded = .failure(
                    ImportError(file: file, line: line, reason: .cellCount(expected: width, found: record.cells.count)))
            } else if case .invalidUTF8(let cell, let why) = record.problem {
                let error = FieldError(field: layout.header[cell], reason: why)
                decoded = .failure(ImportError(file: file, line: line, reason: .invalidFields([error], label: "column")))
            } else {
                decoded = decode(CSVRow(layout: layout, cells: record.cells), line: line, label: "column")
            }
            guard emit(line: line, decoded) else { return }
        }
    }

    /// Reads an NDJSON file: one JSON object per non-blank line.
    func readNDJSON() throws(ImportError) {
        let reader = LineReader(stream: stream, file: file, maxLineBytes: maxRecordBytes)
        while let (line, decoded) = try reader.next({ bytes, line in (line, parseLine(bytes, line: line)) }) {
            guard emit(line: line, decoded) else { return }
        }
    }

    private func parseLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Result<IngestRecord, ImportError> {
        switch JSONParser.parseObjectLine(bytes) {
        case .success(let object):
            return decode(JSONObjectRow(object: object, kind: kind), line: line, label: "field")
        case .failure(let error):
            return .failure(ImportError(file: file, line: line, reason: .invalidJSON(error.message)))
        }
    }
}
