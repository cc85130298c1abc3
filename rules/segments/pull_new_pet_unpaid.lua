-- Pull-new for category A (pet), crowd 3: ordered pet but never paid for it.
-- A coupon often closes the sale.
return segment "pull_new_pet_unpaid" {
  title    = "Pull-new pet: ordered, not paid",
  category = "campaign/pull_new_pet",
  owner    = "crm-team",
  refresh  = "daily at 05:00",

  features = {
    unpaid = count("orders", { where = { category = "pet", paid = false } }),
    paid   = count("orders", { where = { category = "pet", paid = true } }),
  },

  where = function(m)
    return m.unpaid > 0 and m.paid == 0
  end,

  reach = {
    coupon = { code = "PET10", amount = 10 },
  },
}
