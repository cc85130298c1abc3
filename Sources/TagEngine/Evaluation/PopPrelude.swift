/// The Lua side of `pop`: caches the run-constant statistics so that
/// `pop.mean "recency"` asks the host once per run, not once per member.
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
        }
        end
        """
}
