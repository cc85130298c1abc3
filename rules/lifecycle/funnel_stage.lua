-- Funnel stage (AARRR): the deepest step the member has reached, unless the
-- member went quiet:
--   silent       an order or event before, none in the last 90 days
--   repeat_paid  two or more paid orders
--   paid         one paid order
--   deep         carted or favourited (no paid order)
--   browsing     browsed or searched
--   registered   registered (registered_at known), nothing deeper
--   launched     only other events (e.g. app launches), not registered
local SILENT_DAYS = 90

return tag "funnel_stage" {
  title    = "Funnel stage",
  category = "lifecycle/funnel",
  owner    = "crm-team",
  kind     = "enum",
  values   = { "launched", "registered", "browsing", "deep", "paid", "repeat_paid", "silent" },
  refresh  = "daily at 01:40",

  features = {
    paid       = count("orders", { where = { paid = true } }),
    deep       = count("events", { where = { type = { "cart", "favourite" } } }),
    browsing   = count("events", { where = { type = { "browse", "search" } } }),
    events     = count("events"),
    last_order = days_since("orders"),
    last_event = days_since("events"),
  },

  evaluate = function(m)
    local idle = m.last_order
    if m.last_event and (idle == nil or m.last_event < idle) then idle = m.last_event end
    if idle and idle > SILENT_DAYS then return "silent" end
    if m.paid >= 2 then return "repeat_paid" end
    if m.paid == 1 then return "paid" end
    if m.deep > 0 then return "deep" end
    if m.browsing > 0 then return "browsing" end
    if m.attr.registered_at then return "registered" end
    if m.events > 0 then return "launched" end
    return nil
  end,
}
