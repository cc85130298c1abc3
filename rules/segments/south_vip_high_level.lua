-- Important-value members in the south with member level 3 or more:
-- combines a tag (rfm_class), an attribute (region) and the member level.
return segment "south_vip_high_level" {
  title    = "South important-value members, level 3+",
  category = "campaign/vip",
  owner    = "crm-team",
  refresh  = "daily at 05:30",

  where = function(m)
    return m.tags.rfm_class == "important_value"
       and m.attr.region == "south"
       and (m.attr.level or 0) >= 3
  end,

  reach = {
    email = {
      subject = "An invitation for our most valued members",
      body    = "Dear member {id}, as one of our most valued customers in the {attr.region}...",
    },
  },
}
