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

-- The cycles, one derived statistic per category: computed once per run
-- from pop, and compared with as pop.at_most("pet_last", last, "pet_cycle"),
-- so a refresh re-evaluates only the members whose side of a cycle moved.
local stats = {}
for _, c in ipairs(CATEGORIES) do
  stats[c .. "_cycle"] = function(pop)
    local gaps = pop.sum(c .. "_n") - pop.count(c .. "_last")
    if gaps >= MIN_GAPS then return (pop.sum(c .. "_first") - pop.sum(c .. "_last")) / gaps end
  end
end

return tag "repurchase_crowd" {
  title    = "Repurchase crowd (inside the category's repurchase cycle)",
  category = "behaviour/repurchase",
  owner    = "crm-team",
  kind     = "label",
  refresh  = "daily at 04:30",
  features = features,
  stats    = stats,

  evaluate = function(m, pop)
    local best, most, latest
    for _, c in ipairs(CATEGORIES) do
      local n, last = m[c .. "_n"], m[c .. "_last"]
      -- the category bought most often wins; a tie goes to the latest purchase
      if n > 0 and pop.at_most(c .. "_last", last, c .. "_cycle")
        and (best == nil or n > most or (n == most and last < latest)) then
        best, most, latest = c, n, last
      end
    end
    if best == nil then return nil end
    for _, interval in ipairs(INTERVALS) do
      if most - 1 <= interval[1] then return best .. ":" .. interval[2] end
    end
  end,
}
