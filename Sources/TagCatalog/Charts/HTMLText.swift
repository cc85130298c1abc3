/// Escaping for text the catalog writes into HTML or SVG outside templates
/// (charts); templates escape with Mustache's `{{...}}`.
enum HTMLText {
    /// `text` with `& < > " '` replaced by entities.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A number with thousands separators: `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return n < 0 ? "-" + out : out
    }

    /// A share as a percentage with one decimal: `12.3 %`.
    static func percent(_ share: Double) -> String {
        String(format: "%.1f %%", share * 100)
    }
}
