import GRDB

/// A person who acts on tags, with a role.
public struct User: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    /// The table: `users`.
    public static let databaseTableName = "users"
    /// Reads snake_case columns (`created_at`) into camelCase properties.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    /// Writes camelCase properties as snake_case columns.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The login name, as given to `--as`.
    public var name: String
    /// What the user may do.
    public var role: Role
    /// When the user was added (epoch seconds).
    public var createdAt: Int64
    /// A disabled user can do nothing.
    public var disabled: Bool
    /// The operating-system account this user acts from with the local CLI
    /// (`nil`: only with a token).
    public var osUser: String?

    /// Creates a user record.
    public init(name: String, role: Role, createdAt: Int64, disabled: Bool = false, osUser: String? = nil) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.disabled = disabled
        self.osUser = osUser
    }
}
