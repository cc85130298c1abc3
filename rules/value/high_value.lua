-- High-value members: the top 20 % of last year's buyers by amount spent.
return tag "high_value" {
  title    = "High-value members (top 20 % by 365-day spend)",
  category = "value/spend",
  owner    = "crm-team",
  kind     = "flag",
  refresh  = "daily at 03:00",

  features = {
    spend = sum("orders.amount", { within = "365d", where = { paid = true } }),
  },

  population = function(m) return m.spend > 0 end,

  evaluate = function(m, pop)
    -- at or above the 80th percentile of spend (asked as a question about
    -- m.spend, a refresh re-evaluates only members near the threshold)
    return pop.at_least("spend", m.spend, "p80")
  end,
}
