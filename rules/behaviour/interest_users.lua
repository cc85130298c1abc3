-- Interest users: added to cart or favourited in the last 7 days, and did
-- not buy in that window. A classic crowd for a reminder or a coupon.
return tag "interest_users" {
  title    = "Interest users (cart/favourite, no purchase, 7 days)",
  category = "behaviour/intent",
  owner    = "crm-team",
  kind     = "flag",
  refresh  = "realtime",   -- re-evaluated on every ingested event or order

  features = {
    intents = count("events", { within = "7d", where = { type = { "cart", "favourite" } } }),
    orders  = count("orders", { within = "7d" }),
  },

  evaluate = function(m)
    return m.intents > 0 and m.orders == 0
  end,
}
