import CLua
import Foundation
import CLuaShim

extension LuaState {
    /// Turns a non-OK status into a ``LuaError``, popping the error message.
    func check(_ status: Int32) throws(LuaError) {
        guard status != LUA_OK else { return }
        if let tripped = trippedLimitError() {
            tagd_pop(L, 1)
            throw tripped
        }
        var length = 0
        let raw = tagd_tostring(L, -1, &length).map { String(cString: $0) } ?? "unknown error"
        tagd_pop(L, 1)
        let (message, traceback) = Self.splitTraceback(raw)
        switch status {
        case LUA_ERRSYNTAX:
            throw LuaError(kind: .syntax, message: message)
        case LUA_ERRMEM:
            let at = String(cString: tagd_memory_fault_where(L))
            let limit = Self.formatBytes(limits.memoryBytes)
            let prefix = at.isEmpty ? "" : "\(at): "
            throw LuaError(kind: .memory, message: "\(prefix)memory limit of \(limit) exceeded", traceback: nil)
        default:
            if message.contains("instruction budget of") {
                throw LuaError(kind: .instructionBudget, message: message, traceback: traceback)
            }
            if message.contains("not enough memory") {
                let at = String(cString: tagd_memory_fault_where(L))
                let prefix = at.isEmpty ? "" : "\(at): "
                throw LuaError(kind: .memory, message: "\(prefix)memory limit of \(Self.formatBytes(limits.memoryBytes)) exceeded")
            }
            throw LuaError(kind: .runtime, message: message, traceback: traceback)
        }
    }

    static func splitTraceback(_ raw: String) -> (String, String?) {
        guard let range = raw.range(of: "\nstack traceback:") else { return (raw, nil) }
        return (String(raw[..<range.lowerBound]), String(raw[range.lowerBound...].dropFirst()))
    }

    static func formatBytes(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
