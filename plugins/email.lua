-- email: renders a subject and a body for each member entering the segment
-- and sends them to the member's e-mail identity (or attribute) through the
-- configured delivery. Members without an address are skipped.
local template = require "lib.template"
local deliver = require "lib.deliver"

return plugin "email" {
  version = "1.0",
  config = {
    subject  = { type = "string", required = true },
    body     = { type = "string", required = true },
    delivery = { type = "string", default = "file", description = "file or webhook" },
    url      = { type = "string", description = "the mail service, for delivery = webhook" },
  },

  on_enter = function(member, ctx)
    local address = member.identities.email or member.attr.email
    if not address then return end
    local subject = template.render(ctx.config.subject, member, ctx)
    deliver(ctx, "email", address, subject, { body = template.render(ctx.config.body, member, ctx) })
  end,
}
