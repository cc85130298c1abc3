/// A handle on a Lua value (usually a function) held in the registry of the
/// ``LuaState`` that produced it. Only that state can use it.
public struct LuaRef: Sendable, Hashable {
    /// The registry slot.
    public let slot: Int32

    /// Wraps a registry slot.
    public init(slot: Int32) { self.slot = slot }
}
