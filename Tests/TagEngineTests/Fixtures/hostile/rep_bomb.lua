-- Strings built in C as fast as memory allows.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    local total = 0
    for i = 1, 1e9 do total = total + #string.rep("x", 1 << 20) + #string.format("%099d", i) end
  end }
