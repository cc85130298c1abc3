/// Splits one CSV record out of a byte buffer.
enum CSVScanner {
    enum Outcome {
        /// The buffer ends inside the record; read more (only when not `final`).
        case needMore
        /// An empty line ending at `end`.
        case blank(end: Int)
        /// No bytes left.
        case end
        /// A quoted cell still open at end of file.
        case unterminated
        /// A record ending before `end`, spanning `newlines` line ends (including its own).
        case record(cells: [String], end: Int, newlines: Int, malformed: String?)
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// Scans the record starting at `start`; `final` means no more bytes will come.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, final: Bool, cellHint: Int) -> Outcome {
        let count = bytes.count
        if start >= count { return final ? .end : .needMore }
        if bytes[start] == newline { return .blank(end: start + 1) }
        if bytes[start] == carriageReturn {
            if start + 1 < count, bytes[start + 1] == newline { return .blank(end: start + 2) }
            if start + 1 == count, !final { return .needMore }
        }
        var cells: [String] = []
        cells.reserveCapacity(cellHint)
        var index = start
        var newlines = 0
        var malformed: String?
        while true {
            // At the start of a cell.
            if index < count, bytes[index] == quote {
                var unescaped: [UInt8]?
                var segment = index + 1
                var cursor = index + 1
                var closed = false
                while cursor < count {
                    let byte = bytes[cursor]
                    if byte == quote {
                        if cursor + 1 < count, bytes[cursor + 1] == quote {
                            if unescaped == nil { unescaped = [] }
                            unescaped?.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment...cursor]))
                            cursor += 2
                            segment = cursor
                            continue
                        }
                        if cursor + 1 == count, !final { return .needMore }
                        closed = true
                        break
                    }
                    if byte == newline { newlines += 1 }
                    cursor += 1
                }
                if !closed { return final ? .unterminated : .needMore }
                var cellBytes = unescaped ?? []
                let tail = UnsafeBufferPointer(rebasing: bytes[segment..<cursor])
                index = cursor + 1
                // Anything between the closing quote and the separator is malformed; keep it literally.
                let junkStart = index
                while index < count, bytes[index] != comma, bytes[index] != newline { index += 1 }
                if index == count, !final { return .needMore }
                var junkEnd = index
                if junkEnd > junkStart, bytes[junkEnd - 1] == carriageReturn { junkEnd -= 1 }
                if junkEnd > junkStart {
                    malformed = malformed ?? "unexpected characters after the closing quote of cell \(cells.count + 1)"
                    cellBytes.append(contentsOf: tail)
                    cellBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[junkStart..<junkEnd]))
                    cells.append(String(decoding: cellBytes, as: UTF8.self))
                } else if unescaped == nil {
                    cells.append(String(decoding: tail, as: UTF8.self))
                } else {
                    cellBytes.append(contentsOf: tail)
                    cells.append(String(decoding: cellBytes, as: UTF8.self))
                }
            } else {
                let cellStart = index
                while index < count, bytes[index] != comma, bytes[index] != newline { index += 1 }
                if index == count, !final { return .needMore }
                var cellEnd = index
                if cellEnd > cellStart, bytes[cellEnd - 1] == carriageReturn {
                    cellEnd -= 1
                }
                cells.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[cellStart..<cellEnd]), as: UTF8.self))
            }
            // After a cell: separator, line end, or end of file.
            if index == count { return .record(cells: cells, end: index, newlines: newlines + 1, malformed: malformed) }
            if bytes[index] == newline {
                return .record(cells: cells, end: index + 1, newlines: newlines + 1, malformed: malformed)
            }
            index += 1  // comma
            if index == count, !final { return .needMore }
        }
    }
}
