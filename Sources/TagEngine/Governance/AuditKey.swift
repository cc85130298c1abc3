import Crypto
import Foundation

/// The secret that keys the audit chain, kept in a file outside the store.
///
/// Each audit row's hash is an HMAC-SHA-256 of its content and the previous
/// row's hash under this key, so whoever can write the store file but not
/// read the key cannot rewrite history and recompute the chain. The key file
/// is `$TAGD_AUDIT_KEY` when set, else `<store>.audit-key` beside the store;
/// it is created (32 random bytes, mode 0600) when the store's audit log has
/// no keyed row yet.
public struct AuditKey: Sendable {
    /// The key's bytes.
    private let bytes: [UInt8]
    /// The HMAC key.
    var key: SymmetricKey { SymmetricKey(data: bytes) }
    /// A short public fingerprint of the key, stored with every row it signs.
    public let id: String
    /// The file the key was read from.
    public let path: String

    /// Where the key of the store at `storePath` lives.
    public static func location(forStore storePath: String) -> String {
        if let path = ProcessInfo.processInfo.environment["TAGD_AUDIT_KEY"], !path.isEmpty { return path }
        return storePath + ".audit-key"
    }

    /// Reads the key at `path`, or `nil` when there is no file.
    static func read(path: String) throws(AuditKeyError) -> AuditKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AuditKeyError("cannot read the audit key \(path)")
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.count == 64, let bytes = Self.bytes(hex: hex) else {
            throw AuditKeyError("the audit key \(path) is not 64 hex digits")
        }
        return AuditKey(bytes: bytes, path: path)
    }

    /// Creates a new random key at `path` (refusing to overwrite one).
    static func create(path: String) throws(AuditKeyError) -> AuditKey {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            // Another process may have just created it: use that one.
            if errno == EEXIST, let existing = try read(path: path) { return existing }
            throw AuditKeyError("cannot create the audit key \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = text.withCString { write(fd, $0, strlen($0)) }
        guard written == text.utf8.count else { throw AuditKeyError("cannot write the audit key \(path)") }
        return AuditKey(bytes: bytes, path: path)
    }

    private init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.id = String(Hashing.sha256Hex("tagd-audit-key:" + bytes.map { String(format: "%02x", $0) }.joined()).prefix(16))
        self.path = path
    }

    private static func bytes(hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The audit key is missing, unreadable or not the one the log was written with.
public struct AuditKeyError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what to do.
    public let description: String
    init(_ description: String) { self.description = description }
}
