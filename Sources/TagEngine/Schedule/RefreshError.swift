/// A `refresh` declaration that could not be parsed: says what is wrong and lists the accepted forms.
public struct RefreshError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The declaration as written.
    public let input: String
    /// What is wrong with it, e.g. `unknown unit "x": use m (minutes), h (hours) or d (days)`.
    public let problem: String

    /// Creates an error for `input`.
    public init(input: String, problem: String) {
        self.input = input
        self.problem = problem
    }

    /// A one-line summary of every form ``RefreshSchedule/init(parsing:)`` accepts.
    public static let acceptedForms = """
        accepted forms: realtime, every <n>m|h|d, hourly, daily, daily at HH:MM, \
        weekly on <day> at HH:MM, or a cron expression "minute hour day-of-month month day-of-week", \
        each optionally followed by "in <IANA time zone>"
        """

    /// The problem and the accepted forms, on one line.
    public var description: String {
        "invalid refresh \"\(input)\": \(problem); \(Self.acceptedForms)"
    }
}
