import Foundation

/// Terminal output: results on stdout, notes and progress on stderr.
enum Console {
    static let isTerminal = isatty(STDERR_FILENO) != 0

    /// A note for the person at the terminal.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Rewrites the progress line (on a terminal) or prints it (in a log).
    static func progress(_ text: String, final: Bool = false) {
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text + (final ? "\n" : "")).utf8))
        } else if final {
            note(text)
        }
    }

    /// Prints `value` as pretty JSON on stdout.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `12,345`.
    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0, c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// `45.2 %`.
    static func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }

    /// An ISO-8601 UTC date-time for epoch seconds.
    static func date(_ seconds: Int64?) -> String {
        guard let seconds else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
