import GRDB

/// A row of `tags`: one tag name and its lifecycle state.
public struct TagRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    /// The table: `tags`.
    public static let databaseTableName = "tags"
    /// Reads snake_case columns (`live_version_id`) into camelCase properties.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    /// Writes camelCase properties as snake_case columns.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Row id.
    public var id: Int64?
    /// Unique tag name.
    public var name: String
    /// `tag` or `segment`.
    public var kind: String
    /// Lifecycle state.
    public var state: TagState
    /// The approved version that runs, if any.
    public var liveVersionId: Int64?
    /// Active but its file is gone.
    public var orphaned: Bool
    /// The file it was last seen in.
    public var file: String?
    /// Creation time (epoch seconds).
    public var createdAt: Int64
    /// Last change (epoch seconds).
    public var updatedAt: Int64

    /// Keeps the row id after an insert.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
