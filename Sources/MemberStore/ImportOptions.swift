/// The file format of an import.
public enum ImportFormat: String, Sendable, CustomStringConvertible {
    /// Comma-separated values with a header line.
    case csv
    /// One JSON object per line.
    case ndjson

    /// `csv` or `ndjson`.
    public var description: String { rawValue }

    /// The format implied by a file extension (`.csv`, `.ndjson`, `.jsonl`, `.json`), if any.
    public static func forExtension(of path: String) -> ImportFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": return .csv
        case "ndjson", "jsonl", "json": return .ndjson
        default: return nil
        }
    }
}

/// How an import behaves.
public struct ImportOptions: Sendable {
    /// `false` (default): the first bad row aborts the import and nothing of
    /// the file is stored. `true`: bad rows are skipped and reported in the
    /// summary, good rows are stored.
    public var skipBad = false
    /// Forces a format; `nil` picks it by extension, else by sniffing the
    /// first non-blank byte (`{` means NDJSON).
    public var format: ImportFormat?
    /// Rows between two progress reports.
    public var progressEvery = 50_000
    /// Most bad-row errors kept in ``ImportSummary/badRows`` (all are counted).
    public var maxReportedErrors = 1_000
    /// Bytes read from the file at a time.
    public var chunkSize = 1 << 20
    /// Longest accepted record (a CSV record, quoted line ends included, or
    /// an NDJSON line), so that an unclosed quote or a file without line
    /// ends cannot pull the whole file into memory. A longer one stops the
    /// import (also with ``skipBad``: there is no safe place to resume).
    public var maxRecordBytes = 16 << 20
    /// The identity rules records are resolved by (`nil`: identities matched as given, never merging).
    public var identityPolicy: IdentityPolicy?

    /// Creates options; every parameter has the default described above.
    public init(skipBad: Bool = false, format: ImportFormat? = nil, progressEvery: Int = 50_000) {
        self.skipBad = skipBad
        self.format = format
        self.progressEvery = progressEvery
    }
}
