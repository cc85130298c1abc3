-- A pattern that backtracks for ever inside C, where the count hook never fires.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    return string.rep("a", 20000):find(".-.-.-.-.-.-.-.-b") ~= nil
  end }
