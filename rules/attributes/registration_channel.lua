-- Registration channel (channel source): where the member signed up
-- (wechat, app, tmall, jd, store, web...), as imported.
return tag "registration_channel" {
  title    = "Registration channel",
  category = "attribute/channel",
  owner    = "crm-team",
  kind     = "label",
  refresh  = "hourly",

  evaluate = function(m)
    return m.attr.channel
  end,
}
