/// Splits one CSV record out of a byte buffer.
///
/// Line ends are `\n`, `\r\n` or a lone `\r` (classic Mac). A cell is quoted
/// when its first non-blank byte is `"`: blanks (spaces, tabs) around the
/// quotes are ignored and everything between them is kept as is, including
/// blanks, separators and line ends. Unquoted cells are trimmed of blanks.
/// Cells are decoded as strict UTF-8: an invalid byte is reported, never replaced.
enum CSVScanner {
    /// Why a record that could still be delimited is not usable.
    enum Problem: Equatable {
        /// Broken quoting, e.g. characters after a closing quote.
        case malformed(String)
        /// Cell `cell` (0-based) is not valid UTF-8; `reason` says where.
        case invalidUTF8(cell: Int, reason: String)
    }

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
        case record(cells: [String], end: Int, newlines: Int, problem: Problem?)
    }

    /// What follows a position: a line end of `length` bytes, none, or unknown yet.
    private enum LineEnd {
        case length(Int)
        case none
        case needMore
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// Scans the record starting at `start`; `final` means no more bytes will come.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, final: Bool, cellHint: Int) -> Outcome {
        let count = bytes.count
        if start >= count { return final ? .end : .needMore }
        switch lineEnd(bytes, at: start, final: final) {
        case .needMore: return .needMore
        case .length(let length): return .blank(end: start + length)
        case .none: break
        }
        var cells: [String] = []
        cells.reserveCapacity(cellHint)
        var index = start
        var newlines = 0
        var problem: Problem?
        func append(_ cell: UnsafeBufferPointer<UInt8>) {
            if let text = UTF8Text.decode(cell) {
                cells.append(text)
                return
            }
            if problem == nil, let why = UTF8Text.problem(in: cell) {
                problem = .invalidUTF8(cell: cells.count, reason: why)
            }
            cells.append("")
        }
        while true {
            // At the start of a cell.
            var opening = index
            while opening < count, isBlank(bytes[opening]) { opening += 1 }
            if opening == count, !final { return .needMore }
            if opening < count, bytes[opening] == quote {
                var unescaped: [UInt8]?
                var cursor = opening + 1
                var segment = cursor
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
                    if byte == newline || (byte == carriageReturn && (cursor + 1 == count || bytes[cursor + 1] != newline)) {
                        newlines += 1
                    }
                    cursor += 1
                }
                if !closed { return final ? .unterminated : .needMore }
                let tail = UnsafeBufferPointer(rebasing: bytes[segment..<cursor])
                index = cursor + 1
                // Only blanks may stand between the closing quote and the separator.
                let junkStart = index
                while index < count, !isCellEnd(bytes[index]) { index += 1 }
                if index == count, !final { return .needMore }
                var junkEnd = index
                while junkEnd > junkStart, isBlank(bytes[junkEnd - 1]) { junkEnd -= 1 }
                if junkEnd > junkStart {
                    // Malformed; keep the junk literally so the error can show it.
                    if problem == nil {
                        problem = .malformed("unexpected characters after the closing quote of cell \(cells.count + 1)")
                    }
                    var cellBytes = unescaped ?? []
                    cellBytes.append(contentsOf: tail)
                    cellBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[junkStart..<junkEnd]))
                    cellBytes.withUnsafeBufferPointer { append($0) }
                } else if var cellBytes = unescaped {
                    cellBytes.append(contentsOf: tail)
                    cellBytes.withUnsafeBufferPointer { append($0) }
                } else {
                    append(tail)
                }
            } else {
                index = opening
                while index < count, !isCellEnd(bytes[index]) { index += 1 }
                if index == count, !final { return .needMore }
                var cellEnd = index
                while cellEnd > opening, isBlank(bytes[cellEnd - 1]) { cellEnd -= 1 }
                append(UnsafeBufferPointer(rebasing: bytes[opening..<cellEnd]))
            }
            // After a cell: separator, line end, or end of file.
            if index == count { return .record(cells: cells, end: index, newlines: newlines + 1, problem: problem) }
            if bytes[index] == comma {
                index += 1
                continue
            }
            switch lineEnd(bytes, at: index, final: final) {
            case .needMore: return .needMore
            case .length(let length):
                return .record(cells: cells, end: index + length, newlines: newlines + 1, problem: problem)
            case .none:
                preconditionFailure("a cell ends only at a separator, a line end or the end of the buffer")
            }
        }
    }

    /// The end of the physical line starting at `start` (after its line end),
    /// or `bytes.count` when it has none.
    static func endOfLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if bytes[index] == newline { return index + 1 }
            if bytes[index] == carriageReturn {
                return index + 1 < bytes.count && bytes[index + 1] == newline ? index + 2 : index + 1
            }
            index += 1
        }
        return index
    }

    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, final: Bool) -> LineEnd {
        switch bytes[index] {
        case newline: return .length(1)
        case carriageReturn:
            if index + 1 < bytes.count { return .length(bytes[index + 1] == newline ? 2 : 1) }
            return final ? .length(1) : .needMore
        default: return .none
        }
    }

    private static func isCellEnd(_ byte: UInt8) -> Bool {
        byte == comma || byte == newline || byte == carriageReturn
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }
}
