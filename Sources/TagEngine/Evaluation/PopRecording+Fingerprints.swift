import Foundation

extension PopRecording {
    /// ``fingerprints`` in binary (little-endian): the count, then per key
    /// its question, feature, parameter and numbers.
    var encodedFingerprints: Data {
        var out = Data()
        func int(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func double(_ v: Double) { int(Int64(bitPattern: v.bitPattern)) }
        int(Int64(fingerprints.count))
        for (key, numbers) in fingerprints.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            int(Int64(key.question.rawValue))
            int(Int64(key.feature.utf8.count))
            out.append(contentsOf: key.feature.utf8)
            double(key.parameter)
            int(Int64(numbers.count))
            numbers.forEach(double)
        }
        return out
    }

    /// Fingerprints from ``encodedFingerprints``; `nil` when `data` is not
    /// such an encoding (the questions are then all asked again).
    static func fingerprints(from data: Data) -> [Key: [Double]]? {
        var reader = ByteReader(bytes: [UInt8](data))
        func count() throws -> Int {
            let n = try reader.int64()
            guard n >= 0, n <= Int64(data.count) else { throw SnapshotCoding.Corrupt() }
            return Int(n)
        }
        return try? {
            var result: [Key: [Double]] = [:]
            for _ in 0..<(try count()) {
                guard let question = PopQuestion(rawValue: UInt8(clamping: try reader.int64())) else { throw SnapshotCoding.Corrupt() }
                let feature = String(decoding: try reader.take(try count()), as: UTF8.self)
                let parameter = try reader.double()
                result[Key(question: question, feature: feature, parameter: parameter)] = try (0..<(try count())).map { _ in try reader.double() }
            }
            guard reader.isAtEnd else { throw SnapshotCoding.Corrupt() }
            return result
        }()
    }
}
