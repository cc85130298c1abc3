import CLua
import Foundation

/// A field name converted once to a C string, for setting the same field on
/// many tables in a hot loop (see ``LuaState/setField(_:)-(LuaKey)``).
public final class LuaKey: @unchecked Sendable {
    /// The NUL-terminated name; owned by this key, read-only.
    let pointer: UnsafeMutablePointer<CChar>
    /// The field name.
    public let name: String

    /// Creates a key for `name`.
    public init(_ name: String) {
        self.name = name
        self.pointer = strdup(name) ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    }

    deinit { free(pointer) }
}

extension LuaState {
    /// Pops the top value into field `key` of the table just below it.
    public func setField(_ key: LuaKey) { setField(UnsafePointer(key.pointer)) }

    /// The `file:line` of the Lua function `level` frames up the stack (1 is
    /// the caller of the running host function), or `nil` when none.
    public func location(level: Int32) -> (file: String, line: Int)? {
        var record = lua_Debug()
        guard lua_getstack(L, level, &record) != 0, lua_getinfo(L, "Sl", &record) != 0, record.currentline > 0 else {
            return nil
        }
        var source = record.short_src
        let capacity = MemoryLayout.size(ofValue: source)
        let file = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: CChar.self, capacity: capacity) { String(cString: $0) }
        }
        return (file, Int(record.currentline))
    }
}
