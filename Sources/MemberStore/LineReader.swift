/// Streams a file line by line (for NDJSON), tracking 1-based line numbers
/// and skipping blank lines. Line ends are `\n`, `\r\n` or a lone `\r`.
final class LineReader {
    private let stream: ByteStream
    private let file: String
    private let maxLineBytes: Int
    private var line = 0

    init(stream: ByteStream, file: String, maxLineBytes: Int) {
        self.stream = stream
        self.file = file
        self.maxLineBytes = maxLineBytes
    }

    /// Calls `body` with the next non-blank line (without its line end and
    /// surrounding blanks) and its number; returns `nil` at end of file.
    ///
    /// - Throws: ``ImportError/Reason/recordTooLong(limit:)`` for a line
    ///   longer than `maxLineBytes`, or a read error.
    func next<T>(_ body: (UnsafeBufferPointer<UInt8>, Int) -> T) throws(ImportError) -> T? {
        while true {
            let atEOF = stream.isAtEOF
            let start = stream.start
            let found = stream.buffer.withUnsafeBufferPointer { Self.line(in: $0, from: start, final: atEOF) }
            guard let (end, next) = found else {
                if stream.buffer.count - stream.start > maxLineBytes {
                    throw ImportError(file: file, line: line + 1, reason: .recordTooLong(limit: maxLineBytes))
                }
                if try stream.fill() || stream.start < stream.buffer.count { continue }
                return nil
            }
            line += 1
            if end - start > maxLineBytes {
                throw ImportError(file: file, line: line, reason: .recordTooLong(limit: maxLineBytes))
            }
            stream.start = next
            let result: T? = stream.buffer.withUnsafeBufferPointer { bytes in
                let content = Self.trimmed(bytes, start, end)
                return content.isEmpty ? nil : body(UnsafeBufferPointer(rebasing: bytes[content]), line)
            }
            if let result { return result }
        }
    }

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// The line starting at `start`: where it ends (before its line end) and
    /// where the next one starts; `nil` when more bytes are needed to tell
    /// (only when not `final`) or nothing is left.
    static func line(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, final: Bool) -> (end: Int, next: Int)? {
        var index = start
        while index < bytes.count, bytes[index] != newline, bytes[index] != carriageReturn { index += 1 }
        if index < bytes.count {
            if bytes[index] == newline { return (index, index + 1) }
            if index + 1 < bytes.count { return (index, bytes[index + 1] == newline ? index + 2 : index + 1) }
            // A `\r` ending the buffer: a `\n` may follow in the next chunk.
            return final ? (index, index + 1) : nil
        }
        if final, start < bytes.count { return (bytes.count, bytes.count) }
        return nil
    }

    /// `bytes[start..<end]` without leading and trailing blanks (and line
    /// ends too with `lineEnds`).
    static func trimmed(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, lineEnds: Bool = false
    ) -> Range<Int> {
        func isTrimmed(_ byte: UInt8) -> Bool {
            isSpace(byte) || (lineEnds && (byte == newline || byte == carriageReturn))
        }
        var last = end
        while last > start, isTrimmed(bytes[last - 1]) { last -= 1 }
        var first = start
        while first < last, isTrimmed(bytes[first]) { first += 1 }
        return first..<last
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }
}
