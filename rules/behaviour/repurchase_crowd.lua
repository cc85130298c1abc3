-- Repurchase crowd: members who bought a high-repurchase category in the
-- last year and are still inside that category's repurchase cycle, with
-- their repurchase count in intervals. The value is "<category>:<interval>",
-- e.g. "pet:2-3" (bought pet food 3 or 4 times, 2 or 3 of them repurchases).
--
-- The cycle comes from the store's own data: per category, the mean gap
-- between two consecutive purchases, pooled over every buyer of the year:
--   cycle = sum(first - last purchase, in days) / sum(purchases - 1)
-- (a buyer with n purchases between day `first` and day `last` contributes
-- n - 1 gaps spanning first - last days). A member is inside the cycle when
-- the last purchase is at most one cycle ago. A category with fewer than
-- MIN_GAPS repurchases in the store has no cycle yet.
local CATEGORIES = { "grocery", "beauty", "baby", "pet" }  -- consumables
local MIN_GAPS = 5
local INTERVALS = { { 0, "0" }, { 1, "1" }, { 3, "2-3" }, { math.huge, "4+" } }

local features = {}
for _, c in ipairs(CATEGORIES) do
  local bought = { within = "365d", where = { category = c, paid = true } }
  features[c .. "_n"] = count("orders", bought)
  features[c .. "_first"] = days_since(first "orders.ts", bought)
  features[c .. "_last"] = days_since("orders", bought)
end

-- Cycles of this run's population (pop is a new object every run).
local cycles, cycles_of
local function cycle(pop, c)
  if cycles_of ~= pop then
    cycles, cycles_of = {}, pop
    for _, k in ipairs(CATEGORIES) do
      local gaps = pop.sum(k .. "_n") - pop.count(k .. "_last")
      if gaps >= MIN_GAPS then cycles[k] = (pop.sum(k .. "_first") - pop.sum(k .. "_last")) / gaps end
    end
  end
  return cycles[c]
end

return tag "repurchase_crowd" {
  title    = "Repurchase crowd (inside the category's repurchase cycle)",
  category = "behaviour/repurchase",
  owner    = "crm-team",
  kind     = "label",
  refresh  = "daily at 04:30",
  features = features,

  evaluate = function(m, pop)
    local best, most, latest
    for _, c in ipairs(CATEGORIES) do
      local n, last, days = m[c .. "_n"], m[c .. "_last"], cycle(pop, c)
      -- the category bought most often wins; a tie goes to the latest purchase
      if n > 0 and days and last <= days and (best == nil or n > most or (n == most and last < latest)) then
        best, most, latest = c, n, last
      end
    end
    if best == nil then return nil end
    for _, interval in ipairs(INTERVALS) do
      if most - 1 <= interval[1] then return best .. ":" .. interval[2] end
    end
  end,
}
