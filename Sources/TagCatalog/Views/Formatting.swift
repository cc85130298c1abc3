import Foundation

/// How pages write times.
enum Formatting {
    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter
    }()
    private static let lock = NSLock()

    /// `2026-12-01 14:05 UTC`.
    static func time(_ epoch: Int64?) -> String {
        guard let epoch else { return "—" }
        return time(Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    /// `2026-12-01 14:05 UTC`.
    static func time(_ date: Date) -> String {
        lock.lock()
        defer { lock.unlock() }
        return formatter.string(from: date)
    }

    /// `2026-12-01 14:05`, for table columns whose heading says UTC.
    static func short(_ epoch: Int64) -> String {
        String(time(epoch).dropLast(4))
    }
}
