-- Member level band: low (level 1 or below), mid (2-3), high (4 and up).
return tag "level_band" {
  title    = "Member level band",
  category = "attribute/level",
  owner    = "crm-team",
  kind     = "enum",
  values   = { "low", "mid", "high" },
  refresh  = "hourly",

  evaluate = function(m)
    local level = m.attr.level
    if level == nil then return nil end
    if level <= 1 then return "low" end
    if level <= 3 then return "mid" end
    return "high"
  end,
}
