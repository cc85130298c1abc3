/// An error from the member store outside of file imports.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case open(path: String, reason: String)
    /// An SQLite error while reading or writing.
    case database(reason: String)

    /// A one-line message naming the file or operation.
    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open member store at \(path): \(reason)"
        case .database(let reason): "member store error: \(reason)"
        }
    }
}
