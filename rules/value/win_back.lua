-- Win back before they go: last year's most valuable customers whose buying
-- is collapsing.
--   valuable: the top 20 % of last year's buyers by paid spend (as high_value);
--   at risk:  the BG/NBD model, fitted over last year's buyers, expects fewer
--             than half the buying days in the next 90 days that their own
--             pace of the last 365 days would give.
return tag "win_back" {
  title    = "Win back: valuable last year, expected to fade",
  category = "value/churn",
  owner    = "crm-team",
  kind     = "flag",
  refresh  = "daily at 04:30",

  features = {
    spend        = sum("orders.amount", { within = "365d", where = { paid = true } }),
    days_365     = active_days("orders", { within = "365d", where = { paid = true } }),
    expected_90d = expected_purchases("orders", { horizon = "90d", where = { paid = true } }),
  },

  -- Last year's buyers: pop statistics and the model's fit are over them.
  population = function(m) return m.spend > 0 end,

  evaluate = function(m, pop)
    if m.expected_90d == nil then return false end
    local pace_90d = m.days_365 * 90 / 365
    -- (the percentile asked as a question about m.spend, as in high_value)
    return pop.at_least("spend", m.spend, "p80") and m.expected_90d < 0.5 * pace_90d
  end,
}
