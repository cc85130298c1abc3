import Foundation

/// A line chart of a tag over its runs, as inline SVG: coverage (the thick
/// line, one marked point per run) and the count of each of the most
/// frequent values.
struct TrendChart {
    /// One line.
    struct Series {
        var label: String
        var counts: [Int]
    }

    /// The runs' ids and as-of times, oldest first.
    var runs: [(id: Int64, asOf: Int64)]
    /// Coverage after each run.
    var coverage: [Int]
    /// Value lines (at most five are drawn).
    var series: [Series]

    static let width = 520, height = 230, left = 64, right = 16, top = 12, bottom = 28

    /// The SVG markup; labels are escaped.
    func svg() -> String {
        let w = Self.width, h = Self.height
        let plotWidth = Double(w - Self.left - Self.right), plotHeight = Double(h - Self.top - Self.bottom)
        let maximum = Double(max((coverage + series.flatMap(\.counts)).max() ?? 0, 1))
        func x(_ i: Int) -> Double {
            runs.count <= 1 ? Double(Self.left) + plotWidth / 2 : Double(Self.left) + plotWidth * Double(i) / Double(runs.count - 1)
        }
        func y(_ v: Int) -> Double { Double(Self.top) + plotHeight * (1 - Double(v) / maximum) }
        func f(_ d: Double) -> String { String(format: "%.1f", d) }
        var out = """
            <svg class="chart trend" viewBox="0 0 \(w) \(h)" role="img" aria-label="coverage and value counts per run" \
            xmlns="http://www.w3.org/2000/svg"><title>coverage and value counts per run</title>
            """
        for step in 0...4 {
            let v = Int(maximum * Double(step) / 4)
            out += "<line class=\"grid\" x1=\"\(Self.left)\" x2=\"\(w - Self.right)\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\"></line>"
            out += "<text class=\"axis\" x=\"\(Self.left - 6)\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(HTMLText.count(v))</text>"
        }
        if let first = runs.first, let last = runs.last {
            out += "<text class=\"axis\" x=\"\(Self.left)\" y=\"\(h - 8)\">run \(first.id)</text>"
            if runs.count > 1 { out += "<text class=\"axis\" x=\"\(w - Self.right)\" y=\"\(h - 8)\" text-anchor=\"end\">run \(last.id)</text>" }
        }
        for (index, line) in series.prefix(5).enumerated() {
            let points = line.counts.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            out += "<polyline class=\"line s\(index)\" points=\"\(points)\"><title>\(HTMLText.escape(line.label))</title></polyline>"
        }
        let points = coverage.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
        out += "<polyline class=\"line cov\" points=\"\(points)\"></polyline>"
        for (i, covered) in coverage.enumerated() {
            let run = runs[i]
            out += """
                <circle class="pt" data-run="\(run.id)" data-covered="\(covered)" cx="\(f(x(i)))" cy="\(f(y(covered)))" r="4">\
                <title>run \(run.id): \(HTMLText.count(covered)) members</title></circle>
                """
        }
        return out + "</svg>"
    }
}
