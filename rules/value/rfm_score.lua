-- RFM score: R, F and M each scored 1..5 by quintile (5 = best), giving one
-- of 125 cells such as "R5F4M3". Same R, F, M and population as rfm_class.

-- The 125 cell names, built once when the file loads.
local cells = {}
for r = 1, 5 do
  for f = 1, 5 do
    for m = 1, 5 do
      cells[#cells + 1] = string.format("R%dF%dM%d", r, f, m)
    end
  end
end

return tag "rfm_score" {
  title    = "RFM score (125 cells)",
  category = "value/rfm",
  owner    = "crm-team",
  kind     = "enum",
  values   = cells,
  refresh  = "daily at 02:30",

  features = {
    recency   = days_since("orders", { where = { paid = true } }),
    frequency = count("orders", { within = "365d", where = { paid = true } }),
    monetary  = sum("orders.amount", { within = "365d", where = { paid = true } }),
  },

  population = function(m) return m.frequency > 0 end,

  evaluate = function(m, pop)
    -- pop.ntile gives 1 for the lowest fifth, 5 for the highest: recency is
    -- better when lower, so it is turned around.
    local r = 6 - pop.ntile("recency", m.recency, 5)
    local f = pop.ntile("frequency", m.frequency, 5)
    local mo = pop.ntile("monetary", m.monetary, 5)
    return string.format("R%dF%dM%d", r, f, mo)
  end,
}
