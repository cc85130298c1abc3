-- New-product lovers: at least half of the member's paid orders of the last
-- year were new products (orders.is_new_product, as imported), over at least
-- three orders. The value is the category of most of those new-product
-- purchases, so campaigns can target "new beauty products" lovers.
local MIN_ORDERS, SHARE = 3, 0.5

return tag "new_product_lovers" {
  title    = "New-product lovers (by category)",
  category = "preference/new_products",
  owner    = "crm-team",
  kind     = "label",
  refresh  = "daily at 04:40",

  features = {
    bought   = count("orders", { within = "365d", where = { paid = true } }),
    new      = count("orders", { within = "365d", where = { paid = true, is_new_product = true } }),
    category = mode("orders.category", { within = "365d", where = { paid = true, is_new_product = true } }),
  },

  evaluate = function(m)
    if m.bought >= MIN_ORDERS and m.new / m.bought >= SHARE then
      return m.category or "uncategorised"
    end
  end,
}
