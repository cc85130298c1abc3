-- gsub and gmatch over a huge subject with a backtracking pattern.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    local s = string.rep("ab", 50000)
    for _ in s:gmatch("(.-)(.-)(.-)x") do end
    return (s:gsub("(a*)*b", "%1")) ~= ""
  end }
