-- Preferred coupon type: the coupon used most often on paid orders of the
-- last year (ties: the most recently used).
return tag "preferred_coupon" {
  title    = "Preferred coupon type",
  category = "preference/coupon",
  owner    = "crm-team",
  kind     = "label",
  refresh  = "daily at 04:50",

  features = {
    coupon = mode("orders.coupon", { within = "365d", where = { paid = true } }),
  },

  evaluate = function(m)
    return m.coupon
  end,
}
