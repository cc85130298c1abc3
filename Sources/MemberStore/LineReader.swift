/// Streams a file line by line (for NDJSON), tracking 1-based line numbers
/// and skipping blank lines.
final class LineReader {
    private let stream: ByteStream
    private var line = 0

    init(stream: ByteStream) {
        self.stream = stream
    }

    /// Calls `body` with the next non-blank line (without its line end) and
    /// its number; returns `nil` at end of file.
    func next<T>(_ body: (UnsafeBufferPointer<UInt8>, Int) -> T) throws(ImportError) -> T? {
        while true {
            let found: (start: Int, end: Int, next: Int)? = stream.buffer.withUnsafeBufferPointer { bytes in
                var index = stream.start
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                if index < bytes.count { return (stream.start, index, index + 1) }
                if stream.isAtEOF, stream.start < bytes.count { return (stream.start, bytes.count, bytes.count) }
                return nil
            }
            guard let (start, end, next) = found else {
                if try stream.fill() || stream.start < stream.buffer.count { continue }
                return nil
            }
            line += 1
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

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}
