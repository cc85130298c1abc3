-- An error object whose __tostring never returns.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    error(setmetatable({}, { __tostring = function() while true do end end }))
  end }
