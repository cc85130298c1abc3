/// An error raised while loading or running Lua code.
///
/// ``message`` starts with the script position (`rules/value/rfm.lua:12: ...`)
/// whenever Lua knows it; ``traceback`` holds the stack when one was taken.
public struct LuaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The chunk does not compile.
        case syntax
        /// The script raised an error while running.
        case runtime
        /// The script hit the memory cap.
        case memory
        /// The script hit the instruction budget.
        case instructionBudget
        /// The call ran past ``LuaLimits/wallTimePerCall``.
        case timeout
        /// The host stopped the call through its ``LuaInterrupt``.
        case cancelled
    }

    /// What went wrong.
    public let kind: Kind
    /// The message, prefixed with `file:line:` when known.
    public let message: String
    /// The Lua stack traceback, when one was taken.
    public let traceback: String?

    /// Creates an error.
    public init(kind: Kind, message: String, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    /// The `file:line` the message starts with, if any.
    public var location: String? {
        let parts = message.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 3, Int(parts[1]) != nil, !parts[0].isEmpty else { return nil }
        return "\(parts[0]):\(parts[1])"
    }

    public var description: String {
        guard let traceback, !traceback.isEmpty else { return message }
        return message + "\n" + traceback
    }
}
