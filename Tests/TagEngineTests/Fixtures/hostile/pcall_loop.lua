-- Catches the budget error and goes on, for ever.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    while true do pcall(function() while true do end end) end
  end }
