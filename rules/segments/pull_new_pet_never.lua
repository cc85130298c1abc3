-- Pull-new for category A (pet), crowd 1: members who never bought a pet product.
return segment "pull_new_pet_never" {
  title    = "Pull-new pet: never bought pet",
  category = "campaign/pull_new_pet",
  owner    = "crm-team",
  refresh  = "daily at 05:00",

  features = {
    pet_orders = count("orders", { where = { category = "pet" } }),
  },

  where = function(m)
    return m.pet_orders == 0
  end,

  reach = {
    csv_export = { columns = { "region", "level", "channel" } },
  },
}
