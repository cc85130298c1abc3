/// What is wrong with part of a `refresh` declaration; ``RefreshParser`` turns it
/// into a ``RefreshError`` carrying the whole declaration.
struct ScheduleProblem: Error, Sendable {
    /// The explanation.
    let message: String

    /// Creates a problem.
    init(_ message: String) { self.message = message }
}
