-- dates: calendar helpers for plugins and rules (the sandbox has no os.date).
local dates = {}

-- Year, month and day (UTC) of epoch seconds, by the civil-from-days algorithm.
function dates.civil(epoch)
  local z = epoch // 86400 + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local month = mp < 10 and mp + 3 or mp - 9
  return yoe + era * 400 + (month <= 2 and 1 or 0), month, doy - (153 * mp + 2) // 5 + 1
end

-- "YYYY-MM-DD" (UTC) for epoch seconds.
function dates.ymd(epoch)
  return string.format("%04d-%02d-%02d", dates.civil(epoch))
end

return dates
