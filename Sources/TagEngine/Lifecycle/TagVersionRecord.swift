import Foundation
import GRDB

/// A row of `tag_versions`: one exact script content of a tag.
public struct TagVersionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    /// The table: `tag_versions`.
    public static let databaseTableName = "tag_versions"
    /// Reads snake_case columns (`proposed_at`) into camelCase properties.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    /// Writes camelCase properties as snake_case columns.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The state of one version.
    public enum State: String, Codable, Sendable {
        /// `proposed`: waits for a decision; `approved`: the live version;
        /// `rejected`: turned down; `superseded`: was live until a newer approval.
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
    /// The declared title.
    public var title: String?
    /// The declared category path, such as `value/rfm`.
    public var category: String?
    /// The declared owner.
    public var owner: String?
    /// The declared value kind (a ``TagKind`` raw value).
    public var valueKind: String?
    /// The declared refresh cycle, as written.
    public var refresh: String?
    /// Version state.
    public var state: State
    /// When the version was recorded (epoch seconds UTC).
    public var proposedAt: Int64
    /// Who proposed it: the syncing actor (`rules-dir`), or the user of `tagd propose`.
    public var proposedBy: String?
    /// When it was approved or rejected (epoch seconds UTC); `nil` while undecided.
    public var decidedAt: Int64?
    /// Who approved or rejected it; `nil` while undecided.
    public var decidedBy: String?
    /// The reason given with the decision, if any.
    public var reason: String?
    /// The plugin libraries the version requires, frozen with it: JSON
    /// object of module name to source (`{}` when it requires none).
    public var modules: String = "{}"

    /// ``modules`` decoded: what `require` gets when this version runs.
    public var moduleSources: [String: String] {
        guard let data = modules.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return object
    }

    /// The first 12 hex digits of ``hash``, as shown to people.
    public var shortHash: String { String(hash.prefix(12)) }

    /// Keeps the row id after an insert.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
