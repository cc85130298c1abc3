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
    return m.spend >= pop.quantile("spend", 0.8)
  end,
}
