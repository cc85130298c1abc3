-- Age band from the member's birthday ("YYYY-MM-DD"; a birthday without a
-- year, "MM-DD", has no age), in whole years at the run's time.
local BANDS = { { 17, "under_18" }, { 24, "18_24" }, { 34, "25_34" }, { 44, "35_44" }, { 54, "45_54" } }

local dates = require "lib.dates"  -- plugins/lib/dates.lua: civil dates (no os.date here)

return tag "age_band" {
  title    = "Age band",
  category = "attribute/age",
  owner    = "crm-team",
  kind     = "enum",
  values   = { "under_18", "18_24", "25_34", "35_44", "45_54", "55_plus" },
  refresh  = "daily at 00:30",

  evaluate = function(m, pop)
    local by, bm, bd = tostring(m.attr.birthday or ""):match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
    if not by then return nil end
    local ty, tm, td = dates.civil(pop.as_of)
    local age = ty - tonumber(by)
    if tm * 100 + td < tonumber(bm) * 100 + tonumber(bd) then age = age - 1 end
    if age < 0 then return nil end  -- born after the run's time
    for _, band in ipairs(BANDS) do
      if age <= band[1] then return band[2] end
    end
    return "55_plus"
  end,
}
