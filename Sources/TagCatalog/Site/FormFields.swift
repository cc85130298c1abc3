import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (or a query).
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]

    /// Parses `text`; a repeated field keeps its first value.
    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            if values[key] == nil { values[key] = parts.count > 1 ? Self.decode(parts[1]) : "" }
        }
    }

    subscript(_ key: String) -> String? { values[key] }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
