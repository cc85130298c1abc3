import Foundation
import LuaHost

/// The binary form of a ``FeatureSnapshot``'s table: little-endian, column
/// by column, each column keyed by its feature's description so a snapshot
/// never feeds a column to the wrong feature, then the rule's
/// ``PopRecording`` if it has one (format 2; format 1 had none).
enum SnapshotCoding {
    struct Corrupt: Error {}

    /// The encoded size in bytes.
    static func size(_ table: FeatureTable, mask: [Bool]?, recording: PopRecording?) -> Int {
        var size = 0
        try? write(table, mask: mask, recording: recording) { size += $0.count }
        return size
    }

    /// Hands the encoding to `sink` piece by piece, the columns straight
    /// from their storage (no copy of the whole snapshot is ever made).
    static func write(
        _ table: FeatureTable, mask: [Bool]?, recording: PopRecording?, to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        func int(_ v: Int64) throws { try withUnsafeBytes(of: v.littleEndian) { try sink($0) } }
        func string(_ s: String) throws {
            let bytes = Array(s.utf8)
            try int(Int64(bytes.count))
            try bytes.withUnsafeBytes { try sink($0) }
        }
        try int(2)  // format version
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
            case .compact(_, let values):
                try int(2)
                try values.withUnsafeBytes { try sink($0) }
            case .text(let codes, let dictionary):
                try int(1)
                try int(Int64(dictionary.count))
                for word in dictionary { try string(word) }
                try codes.withUnsafeBytes { try sink($0) }
            }
        }
        guard let recording else { return try int(0) }
        try int(1)
        try int(Int64(recording.keys.count))
        for key in recording.keys {
            try int(Int64(key.question.rawValue))
            try string(key.feature)
            try int(Int64(bitPattern: key.parameter.bitPattern))
        }
        try int(Int64(recording.offsets.count))
        try recording.offsets.withUnsafeBytes { try sink($0) }
        try int(Int64(recording.keyIDs.count))
        try recording.keyIDs.withUnsafeBytes { try sink($0) }
        try recording.values.withUnsafeBytes { try sink($0) }
        try recording.answers.withUnsafeBytes { try sink($0) }
        func values(_ list: [LuaValue]) throws {
            try int(Int64(list.count))
            for value in list {
                switch value {
                case .bool(let b): try int(1); try int(b ? 1 : 0)
                case .integer(let i): try int(2); try int(i)
                case .number(let d): try int(3); try int(Int64(bitPattern: d.bitPattern))
                case .string(let s): try int(4); try string(s)
                default: try int(0)
                }
            }
        }
        try int(Int64(recording.constants.count))
        for constant in recording.constants {
            try values(constant.arguments)
            try values(constant.answer)
        }
    }

    /// The members, the mask and the columns by feature description.
    static func decode(_ data: Data) throws -> Decoded {
        try data.withUnsafeBytes { bytes in
            try decode(Source(count: bytes.count) { buffer, offset in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + buffer.count]))
            })
        }
    }

    /// Where a snapshot is decoded from: `count` bytes, copied out piece by
    /// piece (from a buffer, or from SQLite's incremental blob I/O straight
    /// into the columns' storage, with no copy of the whole).
    struct Source {
        var count: Int
        /// Fills the buffer with the bytes at the offset (always inside `count`).
        var read: (UnsafeMutableRawBufferPointer, Int) throws -> Void
    }

    /// A decoded snapshot.
    struct Decoded {
        var ids: ContiguousArray<Int64>
        var mask: [Bool]?
        var columns: [String: FeatureColumn]
        var recording: PopRecording?
    }

    /// ``decode(_:)`` from any ``Source``.
    static func decode(_ source: Source) throws -> Decoded {
        var offset = 0
        func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
            guard offset + buffer.count <= source.count else { throw Corrupt() }
            if buffer.count > 0 { try source.read(buffer, offset) }
            offset += buffer.count
        }
        func int() throws -> Int64 {
            var value: Int64 = 0
            try withUnsafeMutableBytes(of: &value) { try fill($0) }
            return Int64(littleEndian: value)
        }
        func size() throws -> Int64 {
            let n = try int()
            guard n >= 0, n <= Int64(source.count) else { throw Corrupt() }
            return n
        }
        func bytes(_ n: Int) throws -> [UInt8] {
            guard n >= 0, n <= source.count - offset else { throw Corrupt() }
            var result = [UInt8](repeating: 0, count: n)
            try result.withUnsafeMutableBytes { try fill($0) }
            return result
        }
        func string() throws -> String {
            String(decoding: try bytes(Int(try size())), as: UTF8.self)
        }
        func array<T>(_ count: Int, of: T.Type, slack: Int = 0) throws -> ContiguousArray<T> {
            guard count >= 0, count <= (source.count - offset) / MemoryLayout<T>.stride else { throw Corrupt() }
            return try ContiguousArray<T>(unsafeUninitializedCapacity: count + slack) { buffer, initialized in
                try fill(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<count])))
                initialized = count
            }
        }
        let format = try int()
        guard format == 1 || format == 2 else { throw Corrupt() }
        let count = Int(try size())
        let ids = try array(count, of: Int64.self)
        var mask: [Bool]?
        if try int() == 1 { mask = try bytes(count).map { $0 != 0 } }
        let columnCount = try size()
        var byName: [String: FeatureColumn] = [:]
        for _ in 0..<columnCount {
            let name = try string()
            switch try int() {
            case 0: byName[name] = .numeric(.real, try array(count, of: Double.self))
            case 1:
                let words = try (0..<Int(try size())).map { _ in try string() }
                byName[name] = .text(try array(count, of: Int32.self), dictionary: words)
            case 2: byName[name] = .compact(.integer, try array(count, of: Float.self))
            default: throw Corrupt()
            }
        }
        var recording: PopRecording?
        if format == 2, try int() == 1 {
            var r = PopRecording()
            for _ in 0..<Int(try size()) {
                guard let question = PopQuestion(rawValue: UInt8(clamping: try int())) else { throw Corrupt() }
                let feature = try string()
                r.keys.append(.init(question: question, feature: feature, parameter: Double(bitPattern: UInt64(bitPattern: try int()))))
            }
            r.offsets = try array(Int(try size()), of: Int32.self)
            let entries = Int(try size())
            // Room for the entries of members who joined the population since
            // the base: the snapshot's rows patch them in without a new copy.
            let slack = 4_096 + entries / 32
            r.keyIDs = try array(entries, of: UInt16.self, slack: slack)
            r.values = try array(entries, of: Double.self, slack: slack)
            r.answers = try array(entries, of: Double.self, slack: slack)
            func values() throws -> [LuaValue] {
                try (0..<Int(try size())).map { _ in
                    switch try int() {
                    case 1: return .bool(try int() != 0)
                    case 2: return .integer(try int())
                    case 3: return .number(Double(bitPattern: UInt64(bitPattern: try int())))
                    case 4: return .string(try string())
                    default: return .nil
                    }
                }
            }
            for _ in 0..<Int(try size()) { r.constants.append(.init(arguments: try values(), answer: try values())) }
            // Entries must stay inside the recording and name known questions.
            guard r.offsets.first == 0, r.offsets.last.map(Int.init) == entries,
                zip(r.offsets, r.offsets.dropFirst()).allSatisfy({ $0 <= $1 }), r.keyIDs.allSatisfy({ Int($0) < r.keys.count })
            else { throw Corrupt() }
            recording = r
        }
        return Decoded(ids: ids, mask: mask, columns: byName, recording: recording)
    }
}
