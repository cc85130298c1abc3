-- Lifecycle stage, the fallback layer when nothing better is known:
--   new      first order in the last 30 days (or registered then, no activity yet)
--   active   any order or event in the last 30 days
--   silent   last activity 31..180 days ago
--   churned  nothing for more than 180 days
local NEW_DAYS, ACTIVE_DAYS, SILENT_DAYS = 30, 30, 180

return tag "lifecycle_stage" {
  title    = "Lifecycle stage",
  category = "lifecycle/stage",
  owner    = "crm-team",
  kind     = "enum",
  values   = { "new", "active", "silent", "churned" },
  refresh  = "daily at 01:30",

  features = {
    first_order = days_since(first "orders.ts"),
    last_order  = days_since("orders"),
    last_event  = days_since("events"),
  },

  evaluate = function(m, pop)
    if m.first_order and m.first_order <= NEW_DAYS then return "new" end

    -- days since the latest order or event (nil when there is none)
    local idle = m.last_order
    if m.last_event and (idle == nil or m.last_event < idle) then idle = m.last_event end

    if idle == nil then
      local registered = m.attr.registered_at
      if registered and (pop.as_of - registered) <= NEW_DAYS * 86400 then return "new" end
      return "churned"
    end
    if idle <= ACTIVE_DAYS then return "active" end
    if idle <= SILENT_DAYS then return "silent" end
    return "churned"
  end,
}
