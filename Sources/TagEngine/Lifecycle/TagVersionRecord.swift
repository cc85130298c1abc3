import GRDB

/// A row of `tag_versions`: one exact script content of a tag.
public struct TagVersionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "tag_versions"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The state of one version.
    public enum State: String, Codable, Sendable {
        case proposed, approved, rejected, superseded
    }

    /// Row id.
    public var id: Int64?
    /// The tag.
    public var tagId: Int64
    /// SHA-256 of the source: approval binds to it.
    public var hash: String
    /// The script text.
    public var source: String
    /// The file, relative to the rules directory.
    public var file: String
    public var title: String?
    public var category: String?
    public var owner: String?
    public var valueKind: String?
    public var refresh: String?
    /// Version state.
    public var state: State
    public var proposedAt: Int64
    public var proposedBy: String?
    public var decidedAt: Int64?
    public var decidedBy: String?
    public var reason: String?

    /// The first 12 hex digits of ``hash``, as shown to people.
    public var shortHash: String { String(hash.prefix(12)) }

    /// Keeps the row id after an insert.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
