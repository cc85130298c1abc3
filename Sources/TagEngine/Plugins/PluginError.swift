/// A plugin that cannot be loaded, or a reach configuration it refuses.
public struct PluginError: Error, Sendable, CustomStringConvertible {
    /// Where (`plugins/sms.lua:3`, or the segment's `file:line`).
    public let location: String
    /// What is wrong.
    public let message: String

    public var description: String { "\(location): \(message)" }
}
