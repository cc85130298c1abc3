import Foundation

/// The rules for member external ids (and channel identity ids), applied the
/// same way on every path: file import (members, orders, events; CSV and
/// NDJSON), API ingest (``IngestWriter``, ``MemberStore/ingest(_:)``) and
/// lookups (``MemberStore/member(externalID:)``,
/// ``MemberStore/member(channel:identity:)``).
///
/// Ids are stored in Unicode Normalization Form C (NFC), so `"e\u{301}"` and
/// `"\u{e9}"` name the same member. Callers outside this module that look a
/// member up by an id they were given (the CLI, HTTP routes) should pass it
/// through ``normalize(_:)`` too, or use the lookups above, which do.
public enum MemberID {
    /// Longest accepted id, in UTF-8 bytes (after normalisation).
    public static let maxUTF8Length = 512

    /// The id in NFC, the form in which it is stored and looked up.
    ///
    /// Cheap for ASCII ids, which are returned as they are.
    public static func normalize(_ id: String) -> String {
        if id.utf8.allSatisfy({ $0 < 0x80 }) { return id }
        return id.precomposedStringWithCanonicalMapping
    }

    /// Why `id` cannot be an id, or `nil` when it can: it must not be longer
    /// than ``maxUTF8Length`` bytes nor contain control characters
    /// (U+0000–U+001F, U+007F–U+009F), which would print or compare badly,
    /// nor U+FFFD, the replacement character, which is what invalid UTF-8
    /// becomes once a lossy decoder (e.g. `String(decoding:as:)`) has read it:
    /// two ids differing only in invalid bytes would otherwise merge.
    public static func problem(with id: String) -> String? {
        // Printable ASCII (the usual id) needs no scalar walk.
        if id.utf8.count <= maxUTF8Length, id.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        if id.utf8.count > maxUTF8Length {
            return "is \(id.utf8.count) bytes long; an id may have at most \(maxUTF8Length)"
        }
        for (offset, scalar) in id.unicodeScalars.enumerated() {
            if scalar == "\u{FFFD}" {
                return "contains U+FFFD (the replacement character) at character \(offset + 1): "
                    + "the input was probably not valid UTF-8"
            }
            guard isControl(scalar) else { continue }
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            return "contains the control character U+\(padded) at character \(offset + 1); ids may not"
        }
        return nil
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
