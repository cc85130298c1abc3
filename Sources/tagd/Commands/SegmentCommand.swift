import ArgumentParser
import Foundation
import TagEngine

struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Show a segment's members, or export them (CSV or NDJSON) with identities and chosen attributes.")

    @Argument(help: "The segment name.") var name: String
    @Option(help: "Write all members to FILE.csv or FILE.ndjson.") var export: String?
    @Option(help: "Attribute columns, comma-separated: region, level, channel, gender, birthday, registered_at, attr.<key>.")
    var columns = "region,level"
    @Option(help: "Members to show without --export.") var limit = 20
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        let columnList = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let export = try SegmentExport(pool: store.pool, name: name, columns: columnList)
        guard let path = self.export else {
            let rows = try export.page(limit: limit)
            TagReads.record([name], via: "cli", pool: store.pool)
            if json { return try Console.json(rows) }
            let detail = try TagRegistry(pool: store.pool).detail(name: name)
            print("\(name): \(detail.overview.title ?? "") (\(detail.overview.state)), \(Console.count(detail.holders)) members")
            var table = TextTable("MEMBER", "IDENTITIES", "ATTRIBUTES", "SINCE")
            for r in rows {
                table.add(
                    r.member, r.identities.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                    columnList.map { "\($0)=\(r.attributes[$0] ?? "")" }.joined(separator: " "), Console.date(r.since))
            }
            return print(table.rendered)
        }
        try write(export, to: path, columns: columnList)
    }

    private func write(_ export: SegmentExport, to path: String, columns: [String]) throws {
        let ndjson = path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl")
        guard ndjson || path.hasSuffix(".csv") else { throw CLIError("--export needs a .csv or .ndjson file name") }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot write \(path)") }
        defer { try? handle.close() }
        let started = Date()
        let channels = ["wechat", "phone", "email", "tmall", "jd", "store"]
        if !ndjson {
            handle.write(Data((["member"] + channels.map { "id_\($0)" } + columns + ["since"]).map(CSVField.escape).joined(separator: ",").utf8 + [10]))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var cursor: Int64 = 0
        var written = 0
        while true {
            let rows = try export.page(after: cursor, limit: 5_000)
            guard let last = rows.last else { break }
            var chunk = Data()
            for r in rows {
                if ndjson {
                    chunk += try encoder.encode(r) + [10]
                } else {
                    let cells = [r.member] + channels.map { r.identities[$0] ?? "" } + columns.map { r.attributes[$0] ?? "" }
                        + [Console.date(r.since)]
                    chunk += Data(cells.map(CSVField.escape).joined(separator: ",").utf8 + [10])
                }
            }
            handle.write(chunk)
            written += rows.count
            cursor = last.cursor
            Console.progress("exporting \(name): \(Console.count(written)) members")
        }
        Console.progress("", final: false)
        print("exported \(Console.count(written)) members of \(name) to \(path) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    }
}

/// RFC 4180 quoting for one CSV cell.
enum CSVField {
    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
