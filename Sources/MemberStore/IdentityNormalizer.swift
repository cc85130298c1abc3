import Foundation

/// How the values of one identity channel are normalised before they are
/// stored and matched (after NFC, see ``MemberID``).
public enum IdentityNormalizer: Sendable, Hashable, CustomStringConvertible {
    /// Kept as given.
    case asGiven
    /// Leading and trailing blanks removed.
    case trim
    /// Trimmed and lower-cased.
    case lower
    /// An e-mail address: trimmed and lower-cased.
    case email
    /// A phone number: digits only, with a country code: `+` or `00` starts
    /// an international number, otherwise one leading trunk `0` is dropped
    /// and `countryCode` is put in front (`138 0013 8000` -> `+8613800138000`).
    case phone(countryCode: String)

    /// Parses the operator's spelling: `as_given`, `trim`, `lower`, `email`, `phone +86`.
    public init?(spelling: String) {
        let words = spelling.split(separator: " ").map(String.init)
        switch words.first {
        case "as_given" where words.count == 1: self = .asGiven
        case "trim" where words.count == 1: self = .trim
        case "lower" where words.count == 1: self = .lower
        case "email" where words.count == 1: self = .email
        case "phone" where words.count == 2:
            let code = words[1].hasPrefix("+") ? String(words[1].dropFirst()) : words[1]
            guard !code.isEmpty, code.count <= 4, code.allSatisfy(\.isASCIIDigit) else { return nil }
            self = .phone(countryCode: code)
        default: return nil
        }
    }

    /// The operator's spelling.
    public var description: String {
        switch self {
        case .asGiven: "as_given"
        case .trim: "trim"
        case .lower: "lower"
        case .email: "email"
        case .phone(let code): "phone +\(code)"
        }
    }

    /// `value` normalised.
    public func normalize(_ value: String) -> String {
        switch self {
        case .asGiven: return value
        case .trim: return Self.trimmed(value)
        case .lower, .email: return Self.trimmed(value).lowercased()
        case .phone(let code):
            let trimmed = Self.trimmed(value)
            // Only ASCII digits count, and in UTF-8 their bytes appear nowhere else.
            var digits = String(decoding: trimmed.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }, as: UTF8.self)
            if trimmed.hasPrefix("+") { return digits.isEmpty ? "" : "+" + digits }
            if digits.hasPrefix("00") { return "+" + digits.dropFirst(2) }
            if digits.isEmpty { return "" }
            if digits.hasPrefix("0") { digits.removeFirst() }
            return digits.isEmpty ? "" : "+" + code + digits
        }
    }
}

extension IdentityNormalizer {
    /// `value` without leading and trailing white space and line ends (ASCII
    /// text without any at its ends is returned as it is, without Foundation).
    static func trimmed(_ value: String) -> String {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return value }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return value }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
