import Foundation

/// The binary form of a ``FeatureSnapshot``'s table: little-endian, column
/// by column, each column keyed by its feature's description so a snapshot
/// never feeds a column to the wrong feature.
enum SnapshotCoding {
    struct Corrupt: Error {}

    /// The encoded size in bytes.
    static func size(_ table: FeatureTable, mask: [Bool]?) -> Int {
        var size = 0
        try? write(table, mask: mask) { size += $0.count }
        return size
    }

    /// Hands the encoding to `sink` piece by piece, the columns straight
    /// from their storage (no copy of the whole snapshot is ever made).
    static func write(_ table: FeatureTable, mask: [Bool]?, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        func int(_ v: Int64) throws { try withUnsafeBytes(of: v.littleEndian) { try sink($0) } }
        func string(_ s: String) throws {
            let bytes = Array(s.utf8)
            try int(Int64(bytes.count))
            try bytes.withUnsafeBytes { try sink($0) }
        }
        try int(1)  // format version
        try int(Int64(table.count))
        try table.memberIDs.withUnsafeBytes { try sink($0) }
        if let mask {
            try int(1)
            try mask.map { $0 ? UInt8(1) : 0 }.withUnsafeBytes { try sink($0) }
        } else {
            try int(0)
        }
        let columns = table.columns.sorted { "\($0.key)" < "\($1.key)" }
        try int(Int64(columns.count))
        for (spec, column) in columns {
            try string("\(spec)")
            switch column {
            case .numeric(_, let values):
                try int(0)
                try values.withUnsafeBytes { try sink($0) }
            case .text(let codes, let dictionary):
                try int(1)
                try int(Int64(dictionary.count))
                for word in dictionary { try string(word) }
                try codes.withUnsafeBytes { try sink($0) }
            }
        }
    }

    /// The members, the mask and the columns by feature description.
    static func decode(_ data: Data) throws -> (ContiguousArray<Int64>, [Bool]?, [String: FeatureColumn]) {
        try data.withUnsafeBytes { raw in try decode(raw) }
    }

    /// ``decode(_:)`` over the bytes in place (a snapshot is tens of MB: no copy).
    private static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (ContiguousArray<Int64>, [Bool]?, [String: FeatureColumn]) {
        var offset = 0
        func take(_ n: Int) throws -> UnsafeRawBufferPointer {
            guard n >= 0, offset + n <= bytes.count else { throw Corrupt() }
            defer { offset += n }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
        }
        func int() throws -> Int64 {
            Int64(littleEndian: try take(8).loadUnaligned(as: Int64.self))
        }
        func string() throws -> String {
            let n = try int()
            guard n < Int64(bytes.count) else { throw Corrupt() }
            return String(decoding: try take(Int(n)), as: UTF8.self)
        }
        func array<T>(_ count: Int, of: T.Type) throws -> ContiguousArray<T> {
            let slice = try take(count * MemoryLayout<T>.stride)
            return ContiguousArray<T>(unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: slice)
                initialized = count
            }
        }
        guard try int() == 1 else { throw Corrupt() }
        let count = Int(try int())
        guard count >= 0, count < bytes.count else { throw Corrupt() }
        let ids = try array(count, of: Int64.self)
        var mask: [Bool]?
        if try int() == 1 { mask = try take(count).map { $0 != 0 } }
        let columnCount = try int()
        var byName: [String: FeatureColumn] = [:]
        for _ in 0..<columnCount {
            let name = try string()
            if try int() == 0 {
                byName[name] = .numeric(.real, try array(count, of: Double.self))
            } else {
                let words = try (0..<Int(try int())).map { _ in try string() }
                byName[name] = .text(try array(count, of: Int32.self), dictionary: words)
            }
        }
        return (ids, mask, byName)
    }
}
