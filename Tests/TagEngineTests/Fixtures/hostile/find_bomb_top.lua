-- The same, at the top level: it runs when anyone merely loads the file.
local hit = string.rep("a", 20000):find(".-.-.-.-.-.-.-.-b")
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m) return hit ~= nil end }
