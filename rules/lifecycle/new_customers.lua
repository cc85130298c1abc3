-- New customers: exactly one purchase in the last year, and that purchase
-- happened in the last 30 days.
return tag "new_customers" {
  title    = "New customers (first and only order in the last 30 days)",
  category = "lifecycle/acquisition",
  owner    = "crm-team",
  kind     = "flag",
  refresh  = "daily at 01:00",

  features = {
    orders_year  = count("orders", { within = "365d" }),
    orders_month = count("orders", { within = "30d" }),
  },

  evaluate = function(m)
    return m.orders_year == 1 and m.orders_month == 1
  end,
}
