/// Where a tag is in its lifecycle.
///
/// ```
/// file appears/changes -> proposed --approve--> active --retire--> retired
///                           +--reject--> rejected
/// ```
public enum TagState: String, Sendable, Codable, CaseIterable {
    /// A version waits for approval; nothing live.
    case proposed
    /// An approved version runs and writes live values.
    case active
    /// The proposal was turned down.
    case rejected
    /// No longer run; its values moved to history.
    case retired
}
