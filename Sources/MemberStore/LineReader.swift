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
            let found: (start: Int, end: Int, next: Int)? = stream.buffer.withUnsafeBufferPointer { bytes in
                var index = stream.start
                while index < bytes.count, bytes[index] != Self.newline, bytes[index] != Self.carriageReturn {
                    index += 1
                }
                if index < bytes.count {
                    if bytes[index] == Self.newline { return (stream.start, index, index + 1) }
                    if index + 1 < bytes.count {
                        return (stream.start, index, bytes[index + 1] == Self.newline ? index + 2 : index + 1)
                    }
                    // A `\r` ending the buffer: a `\n` may follow in the next chunk.
                    return atEOF ? (stream.start, index, index + 1) : nil
                }
                if atEOF, stream.start < bytes.count { return (stream.start, bytes.count, bytes.count) }
                return nil
            }
            guard let (start, end, next) = found else {
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
                var last = end
                while last > start, Self.isSpace(bytes[last - 1]) { last -= 1 }
                var first = start
                while first < last, Self.isSpace(bytes[first]) { first += 1 }
                if first == last { return nil }
                return body(UnsafeBufferPointer(rebasing: bytes[first..<last]), line)
            }
            if let result { return result }
        }
    }

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }
}
