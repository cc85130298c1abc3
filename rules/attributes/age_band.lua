-- Age band from the member's birthday ("YYYY-MM-DD"; a birthday without a
-- year, "MM-DD", has no age), in whole years at the run's time.
local BANDS = { { 17, "under_18" }, { 24, "18_24" }, { 34, "25_34" }, { 44, "35_44" }, { 54, "45_54" } }

-- Year, month and day (UTC) of epoch seconds (the civil-from-days algorithm;
-- the sandbox has no os.date).
local function civil(epoch)
  local z = epoch // 86400 + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local month = mp < 10 and mp + 3 or mp - 9
  return yoe + era * 400 + (month <= 2 and 1 or 0), month, doy - (153 * mp + 2) // 5 + 1
end

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
    local ty, tm, td = civil(pop.as_of)
    local age = ty - tonumber(by)
    if tm * 100 + td < tonumber(bm) * 100 + tonumber(bd) then age = age - 1 end
    if age < 0 then return nil end  -- born after the run's time
    for _, band in ipairs(BANDS) do
      if age <= band[1] then return band[2] end
    end
    return "55_plus"
  end,
}
