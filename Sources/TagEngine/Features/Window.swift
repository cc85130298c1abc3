import Foundation

/// Parses time windows such as `"30d"`, `"12h"`, `"2w"`, `"1y"`, `"15m"`.
public enum Window {
    /// Seconds in `text`, or `nil` when it is not a positive `<number><unit>`
    /// with unit `s`, `m`, `h`, `d`, `w` or `y` (365 days).
    public static func seconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let amount = Int64(trimmed.dropLast()), amount > 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3_600
        case "d": scale = 86_400
        case "w": scale = 604_800
        case "y": scale = 31_536_000
        default: return nil
        }
        return amount * scale
    }
}
