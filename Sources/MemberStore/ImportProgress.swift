/// A progress report during an import.
public struct ImportProgress: Sendable {
    /// Data rows read so far (good and bad).
    public var rowsRead: Int
    /// Bytes of the file parsed so far.
    public var bytesRead: Int64
    /// File size in bytes.
    public var totalBytes: Int64
    /// Seconds since the import started.
    public var elapsed: Double
    /// `true` for the last report, sent once the whole file was read.
    public var isFinished: Bool

    /// Rows per second so far.
    public var rowsPerSecond: Double { elapsed > 0 ? Double(rowsRead) / elapsed : 0 }

    /// Fraction of the file parsed, 0...1.
    public var fraction: Double { totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : 1 }
}
