import Foundation

/// The result of an import.
public struct ImportSummary: Sendable, CustomStringConvertible {
    /// What was imported.
    public var kind: RecordKind
    /// The file path as given.
    public var file: String
    /// The format the file was read as.
    public var format: ImportFormat
    /// Data rows read (good and bad).
    public var rowsRead: Int
    /// What was written.
    public var counts: IngestCounts
    /// The first identity conflicts (``IngestCounts/conflicts`` counts all).
    public var conflicts: [IdentityConflict] = []
    /// Rows skipped as invalid (only with `skipBad`).
    public var badRowCount: Int
    /// The errors of the first ``ImportOptions/maxReportedErrors`` bad rows.
    public var badRows: [ImportError]
    /// Wall-clock duration.
    public var seconds: Double

    /// Rows stored: new rows, plus updated members for a members import.
    public var imported: Int { counts.inserted + counts.updated }
    /// Rows ignored because their key was already stored.
    public var duplicates: Int { counts.duplicates }
    /// New member rows (for orders / events: members created on the fly).
    public var membersCreated: Int { counts.createdMembers }

    /// One line, e.g. `imported 69,659 orders from cdnow.csv in 0.41 s
    /// (170,000 rows/s); 23,570 members created; 0 bad rows`.
    public var description: String {
        let rate = seconds > 0 ? Double(rowsRead) / seconds : 0
        var text = "imported \(Self.grouped(imported)) \(kind) from \(file) in \(String(format: "%.2f", seconds)) s"
        text += " (\(Self.grouped(Self.roundedRate(rate))) rows/s); \(Self.grouped(membersCreated)) members created"
        if duplicates > 0 { text += "; \(Self.grouped(duplicates)) duplicates ignored" }
        if counts.merges > 0 { text += "; \(Self.grouped(counts.merges)) members merged" }
        if counts.conflicts > 0 { text += "; \(Self.grouped(counts.conflicts)) identity conflicts" }
        if counts.blockedIdentities > 0 { text += "; \(Self.grouped(counts.blockedIdentities)) blocked identities dropped" }
        text += "; \(Self.grouped(badRowCount)) bad row\(badRowCount == 1 ? "" : "s")"
        return text
    }

    /// `1234567` -> `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// Rounds a rate to 3 significant digits.
    static func roundedRate(_ rate: Double) -> Int {
        guard rate >= 1000, rate.isFinite else { return Int(rate.rounded()) }
        let scale = pow(10, floor(log10(rate)) - 2)
        return Int((rate / scale).rounded() * scale)
    }
}
