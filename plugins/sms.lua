-- sms: renders a text for each member entering the segment and sends it to
-- the member's phone identity through the configured delivery (a gateway
-- webhook, or a file to upload). Members without a phone are skipped.
local template = require "lib.template"
local deliver = require "lib.deliver"

return plugin "sms" {
  version = "1.0",
  config = {
    template = { type = "string", required = true, description = "e.g. 'Hi, your {segment} offer...'" },
    delivery = { type = "string", default = "file", description = "file or webhook" },
    url      = { type = "string", description = "the SMS gateway, for delivery = webhook" },
  },

  on_enter = function(member, ctx)
    local phone = member.identities.phone
    if not phone then return end
    deliver(ctx, "sms", phone, template.render(ctx.config.template, member, ctx))
  end,
}
