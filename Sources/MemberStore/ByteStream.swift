#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file through a byte buffer, one chunk at a time, so that files
/// larger than memory can be parsed.
final class ByteStream {
    /// Unconsumed bytes are `buffer[start...]`.
    private(set) var buffer: [UInt8] = []
    /// Index of the first unconsumed byte.
    var start = 0
    /// Whether the whole file has been read into `buffer`.
    private(set) var isAtEOF = false
    /// File size when opened.
    let totalBytes: Int64
    private var bytesFromFile: Int64 = 0
    private let descriptor: Int32
    private let chunkSize: Int
    /// Where `read(2)` puts each chunk before it is appended to `buffer`.
    private let scratch: UnsafeMutableBufferPointer<UInt8>
    private let path: String

    init(path: String, chunkSize: Int = 1 << 20) throws(ImportError) {
        self.path = path
        self.chunkSize = chunkSize
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImportError(file: path, reason: errno == ENOENT ? .fileNotFound : .unreadable(Self.lastError()))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImportError(file: path, reason: .unreadable("is a directory"))
        }
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ImportError(file: path, reason: .unreadable(Self.lastError())) }
        totalBytes = Int64(info.st_size)
        scratch = .allocate(capacity: chunkSize)
        buffer.reserveCapacity(chunkSize * 2)
    }

    deinit {
        close(descriptor)
        scratch.deallocate()
    }

    /// Bytes consumed by the parser so far.
    var bytesConsumed: Int64 { bytesFromFile - Int64(buffer.count - start) }

    /// Drops consumed bytes and appends the next chunk; `false` at end of file.
    func fill() throws(ImportError) -> Bool {
        if isAtEOF { return false }
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        var readCount = 0
        repeat {
            readCount = read(descriptor, scratch.baseAddress, chunkSize)
        } while readCount < 0 && errno == EINTR
        guard readCount >= 0 else { throw ImportError(file: path, reason: .unreadable(Self.lastError())) }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<readCount]))
        bytesFromFile += Int64(readCount)
        if readCount == 0 { isAtEOF = true }
        return readCount > 0
    }

    /// Skips a UTF-8 byte order mark at the very start of the file.
    func skipByteOrderMark() throws(ImportError) {
        while buffer.count < 3, try fill() {}
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
    }

    /// The first non-whitespace byte of the file, if any (for format sniffing).
    func firstSignificantByte() throws(ImportError) -> UInt8? {
        var index = start
        while true {
            while index < buffer.count {
                switch buffer[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return buffer[index]
                }
            }
            let consumed = index - start
            guard try fill() else { return nil }
            index = start + consumed
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
