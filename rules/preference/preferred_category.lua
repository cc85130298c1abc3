-- Preferred category: the category bought most often in the last year; for
-- members who did not buy, the one browsed, carted or favourited most in the
-- last 90 days.
return tag "preferred_category" {
  title    = "Preferred category",
  category = "preference/category",
  owner    = "crm-team",
  kind     = "label",
  refresh  = "daily at 04:00",

  features = {
    bought  = mode("orders.category", { within = "365d" }),
    browsed = mode("events.category", { within = "90d" }),
  },

  evaluate = function(m)
    return m.bought or m.browsed
  end,
}
