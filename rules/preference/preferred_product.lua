-- Preferred product: the product bought most often on paid orders of the
-- last year, when some product was bought more than once (a member whose
-- every purchase is a different product has no preference).
local paid_year = { within = "365d", where = { paid = true } }

return tag "preferred_product" {
  title    = "Preferred product",
  category = "preference/product",
  owner    = "crm-team",
  kind     = "label",
  refresh  = "daily at 04:50",

  features = {
    product  = mode("orders.product", paid_year),
    products = distinct("orders.product", paid_year),
    orders   = count("orders", paid_year),
  },

  evaluate = function(m)
    if m.products < m.orders then return m.product end
  end,
}
