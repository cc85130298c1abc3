import Crypto
import Foundation

/// Digests tagd stores: SHA-256 for rule version hashes and token hashes,
/// HMAC-SHA-256 for the keyed audit chain (both from swift-crypto).
public enum Hashing {
    /// The lower-case hex SHA-256 of `text`'s UTF-8 bytes.
    public static func sha256Hex(_ text: String) -> String {
        hex(Crypto.SHA256.hash(data: Data(text.utf8)))
    }

    /// The lower-case hex HMAC-SHA-256 of `text`'s UTF-8 bytes under `key`.
    public static func hmacHex(_ text: String, key: SymmetricKey) -> String {
        hex(HMAC<Crypto.SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }

    /// Constant-time comparison of two hex digests (or any two tokens).
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
