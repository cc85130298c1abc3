/// Maps the columns of a CSV header to the fields of a record kind.
final class CSVLayout {
    let header: [String]
    /// Column index per `InputField.rawValue`, `-1` when absent.
    private let columns: [Int]
    /// Columns that are not known fields of the kind.
    let extras: [(name: String, index: Int)]

    /// Validates the header: no empty or duplicate names, all required columns
    /// present. Other columns are extras (`attrs`, `props`).
    init(header rawHeader: [String], kind: RecordKind, file: String, line: Int) throws(ImportError) {
        let header = rawHeader.map(TextDictionaryRow.trimmed)
        var columns = [Int](repeating: -1, count: InputField.allCases.count)
        var extras: [(name: String, index: Int)] = []
        var seen = Set<String>()
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else {
                throw ImportError(file: file, line: line, reason: .emptyColumnName(position: index + 1))
            }
            guard seen.insert(name).inserted else {
                throw ImportError(file: file, line: line, reason: .duplicateColumn(name))
            }
            if let field = InputField.named(name, in: kind) {
                columns[field.rawValue] = index
            } else {
                extras.append((name, index))
            }
        }
        let namesMember =
            columns[InputField.identities.rawValue] >= 0 || extras.contains { InputField.isIdentityColumn($0.name) }
        let missing = InputField.required(for: kind).filter { columns[$0.rawValue] < 0 && !($0 == .member && namesMember) }
            .map(\.name)
        if !missing.isEmpty {
            throw ImportError(file: file, line: line, reason: .missingColumns(missing, header: header))
        }
        self.header = header
        self.columns = columns
        self.extras = extras
    }

    func column(of field: InputField) -> Int {
        columns[field.rawValue]
    }
}

/// One CSV record viewed through its header layout. Cells come trimmed
/// from ``CSVScanner`` when unquoted and verbatim when quoted, so they are
/// not trimmed again here.
struct CSVRow: FieldRow {
    let layout: CSVLayout
    let cells: [String]

    func value(_ field: InputField) -> RawValue? {
        let index = layout.column(of: field)
        guard index >= 0 else { return nil }
        let cell = cells[index]
        return cell.isEmpty ? nil : .text(cell)
    }

    func forEachExtra(_ body: (String, RawValue) -> Void) {
        for (name, index) in layout.extras {
            let cell = cells[index]
            if !cell.isEmpty { body(name, .text(cell)) }
        }
    }
}
