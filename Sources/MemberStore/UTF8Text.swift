/// Strict UTF-8 handling for input bytes: invalid bytes are reported, never
/// replaced with U+FFFD, so two ids that differ only in invalid bytes can
/// never collapse into one.
enum UTF8Text {
    /// The text of `bytes`, or `nil` when they are not valid UTF-8.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The 0-based offset and value of the first byte that does not belong
    /// to a valid UTF-8 sequence, or `nil` when all of `bytes` is valid.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, byte: UInt8)? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return (offset, bytes[offset])
            }
        }
    }

    /// Why `bytes` are not text, e.g. `is not valid UTF-8 (byte 0xFF at byte 3)`;
    /// `nil` when they are valid.
    static func problem(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let (offset, byte) = firstInvalidByte(in: bytes) else { return nil }
        return "is not valid UTF-8 (byte \(hex(byte)) at byte \(offset + 1))"
    }

    /// `0xFF`.
    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])"
    }

    /// Why a decoded text cannot be stored: a NUL character, which C-based
    /// tools would silently truncate at; `nil` when there is none.
    static func nulProblem(in text: String) -> String? {
        guard let offset = text.utf8.firstIndex(of: 0) else { return nil }
        let position = text.utf8.distance(from: text.utf8.startIndex, to: offset) + 1
        return "contains a NUL character (U+0000) at byte \(position)"
    }
}
