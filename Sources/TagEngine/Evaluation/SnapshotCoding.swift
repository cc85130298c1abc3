import Foundation

/// The binary form of a ``FeatureSnapshot``'s table: little-endian, column
/// by column, each column keyed by its feature's description so a snapshot
/// never feeds a column to the wrong feature.
enum SnapshotCoding {
    struct Corrupt: Error {}

    static func encode(_ table: FeatureTable, mask: [Bool]?) -> Data {
        var out = Data()
        func int(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) {
            let bytes = Array(s.utf8)
            int(Int64(bytes.count))
            out.append(contentsOf: bytes)
        }
        int(1)  // format version
        int(Int64(table.count))
        table.memberIDs.withUnsafeBytes { out.append(contentsOf: $0) }
        if let mask {
            int(1)
            out.append(contentsOf: mask.map { $0 ? 1 : 0 })
        } else {
            int(0)
        }
        let columns = table.columns.sorted { "\($0.key)" < "\($1.key)" }
        int(Int64(columns.count))
        for (spec, column) in columns {
            string("\(spec)")
            switch column {
            case .numeric(_, let values):
                int(0)
                values.withUnsafeBytes { out.append(contentsOf: $0) }
            case .text(let codes, let dictionary):
                int(1)
                int(Int64(dictionary.count))
                for word in dictionary { string(word) }
                codes.withUnsafeBytes { out.append(contentsOf: $0) }
            }
        }
        return out
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
