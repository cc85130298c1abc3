-- A library chosen at run time could not be frozen with the version.
local name = "dates"
local lib = require("lib." .. name)
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m) return lib ~= nil end }
