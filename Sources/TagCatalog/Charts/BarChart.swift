/// A horizontal bar chart as inline SVG: one bar per value with its count.
struct BarChart {
    /// The bars, in the order shown.
    var bars: [(label: String, count: Int)]
    /// The chart's accessible name.
    var title: String

    /// The SVG markup; every label is escaped.
    func svg() -> String {
        let rowHeight = 26, labelWidth = 160, barWidth = 220, countWidth = 80
        let width = labelWidth + barWidth + countWidth
        let height = max(bars.count, 1) * rowHeight + 4
        let maximum = max(bars.map(\.count).max() ?? 0, 1)
        var out = """
            <svg class="chart bars" viewBox="0 0 \(width) \(height)" role="img" aria-label="\(HTMLText.escape(title))" \
            xmlns="http://www.w3.org/2000/svg"><title>\(HTMLText.escape(title))</title>
            """
        for (row, bar) in bars.enumerated() {
            let y = row * rowHeight + 2
            let length = max(Int((Double(bar.count) / Double(maximum) * Double(barWidth)).rounded()), bar.count > 0 ? 2 : 0)
            let label = bar.label.count > 22 ? String(bar.label.prefix(21)) + "…" : bar.label
            out += """
                <g class="bar" data-value="\(HTMLText.escape(bar.label))" data-count="\(bar.count)">\
                <text x="\(labelWidth - 8)" y="\(y + 17)" text-anchor="end">\(HTMLText.escape(label))</text>\
                <rect x="\(labelWidth)" y="\(y + 3)" width="\(length)" height="\(rowHeight - 8)" rx="3"></rect>\
                <text class="n" x="\(labelWidth + length + 6)" y="\(y + 17)">\(HTMLText.count(bar.count))</text></g>
                """
        }
        return out + "</svg>"
    }
}
