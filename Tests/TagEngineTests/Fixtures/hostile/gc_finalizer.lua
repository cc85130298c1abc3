-- A finalizer that never returns, run by the collector.
setmetatable({}, { __gc = function() while true do end end })
collectgarbage()
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m) return true end }
