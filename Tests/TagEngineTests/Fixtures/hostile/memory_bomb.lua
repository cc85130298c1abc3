-- Keeps everything it allocates.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 4096) .. i end
  end }
