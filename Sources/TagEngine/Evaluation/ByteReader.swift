/// Reads little-endian fields of a stored encoding in order (a snapshot
/// row, a recording's fingerprints); any overrun is ``SnapshotCoding/Corrupt``.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        try check(n)
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    private func check(_ n: Int) throws {
        guard n >= 0, n <= bytes.count - offset else { throw SnapshotCoding.Corrupt() }
    }

    /// The fixed-size value at the offset, read in place (no slice).
    private mutating func load<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try check(MemoryLayout<T>.size)
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
    }

    mutating func byte() throws -> UInt8 { try load(UInt8.self) }

    /// Whether the bytes at the offset are `prefix`; if so, they are read.
    mutating func skip(_ prefix: [UInt8]) -> Bool {
        guard prefix.count <= bytes.count - offset, bytes[offset..<offset + prefix.count].elementsEqual(prefix) else { return false }
        offset += prefix.count
        return true
    }

    mutating func int32() throws -> Int32 { try load(Int32.self) }

    mutating func int64() throws -> Int64 { try load(Int64.self) }

    mutating func double() throws -> Double { Double(bitPattern: try load(UInt64.self)) }

    /// A string after its 4-byte length (-1: none).
    mutating func optionalString() throws -> String? {
        let length = try int32()
        return length < 0 ? nil : String(decoding: try take(Int(length)), as: UTF8.self)
    }

    mutating func string() throws -> String {
        guard let s = try optionalString() else { throw SnapshotCoding.Corrupt() }
        return s
    }
}
