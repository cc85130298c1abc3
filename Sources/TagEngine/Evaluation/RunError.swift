import LuaHost

/// Why a rule run failed. Nothing of a failed run is written.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// The rule raised an error (or returned a bad value) for a member.
    case rule(name: String, member: String?, error: LuaError)
    /// The rule returned a value its kind does not allow.
    case badValue(name: String, file: String, line: Int, member: String, message: String)
    /// A feature of the rule cannot be computed from the stored data (a
    /// custom column holding text where the rule aggregates numbers).
    case data(name: String, message: String)
    /// The rule could not be loaded.
    case load(RuleError)
    /// No rule by that name, or not in a state that runs.
    case notRunnable(String)
    /// The store failed.
    case store(String)
    /// The run was stopped (server shutdown) and rolled back.
    case cancelled(String)
    /// The run was stopped by an operator or its time limit, and rolled back.
    case stopped(name: String, reason: String)

    public var description: String {
        switch self {
        case .rule(let name, let member, let error):
            let who = member.map { " for member \($0)" } ?? ""
            return "rule \(name) failed\(who): \(error.description)"
        case .badValue(let name, let file, let line, let member, let message):
            return "rule \(name) failed for member \(member): \(file):\(line): \(message)"
        case .data(let name, let message): return "rule \(name) failed: \(message)"
        case .load(let error): return error.description
        case .notRunnable(let message): return message
        case .store(let message): return "store error: \(message)"
        case .cancelled(let name): return "run of \(name) cancelled (shutdown); rolled back, live values unchanged"
        case .stopped(let name, let reason): return "run of \(name) \(reason); rolled back, live values unchanged"
        }
    }
}
