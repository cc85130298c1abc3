import CLua
import CLuaShim

extension LuaState {
    /// Runs `body` as one call from the host: the outermost call arms the
    /// instruction budget and the wall-time deadline and clears the last
    /// memory fault; calls nested through host functions share its limits.
    func limited<T>(_ body: () throws(LuaError) -> T) throws(LuaError) -> T {
        if callDepth == 0 {
            tagd_arm(L, limits.instructionsPerCall, limits.wallTimeNanoseconds)
            tagd_clear_memory_fault(L)
        }
        callDepth += 1
        defer {
            callDepth -= 1
            if callDepth == 0 { tagd_clear_trip(L) }
        }
        return try body()
    }

    /// The error for a tripped limit, or `nil` when no limit tripped.
    func trippedLimitError() -> LuaError? {
        let kind: LuaError.Kind
        switch tagd_tripped(L) {
        case 1: kind = .instructionBudget
        case 2: kind = .timeout
        case 3: kind = .cancelled
        default: return nil
        }
        return LuaError(kind: kind, message: String(cString: tagd_trip_message(L)))
    }
}
