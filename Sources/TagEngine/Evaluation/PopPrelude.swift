/// The Lua side of `pop`: caches the run-constant statistics so that
/// `pop.mean "recency"` asks the host once per run, not once per member;
/// questions about a member's value (`pop.ntile`, `pop.above`...) go to the
/// host on every call, which records their answers (``PopRecording``).
enum PopPrelude {
    static let source = """
        return function(stat, as_of)
        local cache = {}
        local function constant(op)
          return function(feature, a)
            local key = op .. "\\0" .. tostring(feature) .. "\\0" .. tostring(a)
            local v = cache[key]
            if v == nil then
              v = stat(op, feature, a)
              if v == nil then v = false end
              cache[key] = v
            end
            if v == false then return nil end
            return v
          end
        end
        return {
          as_of = as_of,
          mean = constant("mean"), sum = constant("sum"), min = constant("min"), max = constant("max"),
          median = constant("median"), quantile = constant("quantile"), count = constant("count"),
          rank = function(feature, v) return stat("rank", feature, v) end,
          percentile = function(feature, v) return stat("percentile", feature, v) end,
          ntile = function(feature, v, n) return stat("ntile", feature, v, n) end,
          above = function(feature, v, s) return stat("above", feature, v, s) end,
          below = function(feature, v, s) return stat("below", feature, v, s) end,
          at_least = function(feature, v, s) return stat("at_least", feature, v, s) end,
          at_most = function(feature, v, s) return stat("at_most", feature, v, s) end,
        }
        end
        """
}
