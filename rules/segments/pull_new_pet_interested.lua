-- Pull-new for category A (pet), crowd 2: never bought pet, but favourited,
-- carted or searched it. The warmest crowd: send them a text.
return segment "pull_new_pet_interested" {
  title    = "Pull-new pet: interested, never bought",
  category = "campaign/pull_new_pet",
  owner    = "crm-team",
  refresh  = "daily at 05:00",

  features = {
    pet_orders  = count("orders", { where = { category = "pet" } }),
    pet_intents = count("events", { where = { category = "pet", type = { "favourite", "cart", "search" } } }),
  },

  where = function(m)
    return m.pet_orders == 0 and m.pet_intents > 0
  end,

  reach = {
    sms = { template = "Your pet deserves the best: 15% off pet food this week. Reply TD to opt out." },
  },
}
