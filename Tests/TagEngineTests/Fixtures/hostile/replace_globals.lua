-- Rewrites the vocabulary and libraries, hoping to change them for everyone else.
local declare = tag
_G.tag = function() error("pwned") end
_G.segment = function() error("pwned") end
string.lower = function() return "pwned" end
table.concat = function() return "pwned" end
math.floor = function() return -1 end
return declare "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m) return true end }
