-- Reaches for the operating system.
return tag "hostile" { title = "H", category = "t/h", owner = "x", kind = "flag", refresh = "hourly",
  evaluate = function(m)
    local ok = pcall(function() os.execute("touch /tmp/tagd-hostile-pwned") end)
    io.open("/tmp/tagd-hostile-pwned", "w")
  end }
