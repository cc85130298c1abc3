-- The message handler loops.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    for _ = 1, 1e9 do xpcall(function() while true do end end, function() while true do end end) end
  end }
