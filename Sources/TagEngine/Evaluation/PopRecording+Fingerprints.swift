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
        let bytes = [UInt8](data)
        var offset = 0
        func int() -> Int64? {
            guard offset + 8 <= bytes.count else { return nil }
            var value: Int64 = 0
            for i in 0..<8 { value |= Int64(bytes[offset + i]) << (8 * i) }
            offset += 8
            return value
        }
        func count() -> Int? { int().flatMap { $0 >= 0 && $0 <= Int64(bytes.count) ? Int($0) : nil } }
        guard let keys = count() else { return nil }
        var result: [Key: [Double]] = [:]
        for _ in 0..<keys {
            guard let raw = int(), let question = PopQuestion(rawValue: UInt8(clamping: raw)), let length = count(),
                offset + length <= bytes.count
            else { return nil }
            let feature = String(decoding: bytes[offset..<offset + length], as: UTF8.self)
            offset += length
            guard let parameter = int(), let n = count() else { return nil }
            var numbers: [Double] = []
            for _ in 0..<n {
                guard let bits = int() else { return nil }
                numbers.append(Double(bitPattern: UInt64(bitPattern: bits)))
            }
            result[Key(question: question, feature: feature, parameter: Double(bitPattern: UInt64(bitPattern: parameter)))] = numbers
        }
        return offset == bytes.count ? result : nil
    }
}
