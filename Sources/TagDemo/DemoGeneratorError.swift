/// Why ``DemoGenerator/generate(into:progress:)`` refused to run.
public enum DemoGeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The store already holds members, orders or events: demo data uses
    /// member ids `1...N` and must go into an empty store.
    case storeNotEmpty
    /// An option is out of range (negative counts or averages).
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .storeNotEmpty: "the store already holds members, orders or events; demo data needs an empty store"
        case .invalidOptions(let reason): "invalid demo options: \(reason)"
        }
    }
}
