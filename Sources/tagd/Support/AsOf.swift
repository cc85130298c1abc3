import Foundation
import MemberStore

/// Parses `--as-of` values: ISO-8601 dates or date-times, or epoch seconds.
enum AsOf {
    static func parse(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        switch TimestampParser.parse(text) {
        case .success(let seconds): return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .failure:
            throw CLIError("--as-of '\(text)' is not a date (use 1998-07-01, 1998-07-01T12:00:00Z or epoch seconds)")
        }
    }
}
