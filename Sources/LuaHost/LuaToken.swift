/// A token of Lua source, as ``LuaTokenizer`` reads it.
struct LuaToken: Sendable, Hashable {
    /// What the token is.
    enum Kind: Sendable, Hashable {
        /// An identifier or keyword.
        case name(String)
        /// A string literal, decoded (escapes applied); `nil` content never occurs.
        case string(String)
        /// A number literal (its text).
        case number(String)
        /// An operator or punctuation (`..`, `(`, `=`, ...).
        case symbol(String)
        /// A string or long bracket that never ends.
        case unfinished
    }

    /// What the token is.
    let kind: Kind
    /// The 1-based line the token starts on.
    let line: Int
}
