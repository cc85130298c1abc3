-- coupon: grants a coupon (or red packet) to each member entering the
-- segment, through the configured delivery (the coupon service's webhook,
-- or a file for a batch upload). The idempotency key stops double grants.
local deliver = require "lib.deliver"

return plugin "coupon" {
  version = "1.0",
  config = {
    code     = { type = "string", required = true, description = "the coupon batch, e.g. PET10" },
    amount   = { type = "number", default = 10 },
    delivery = { type = "string", default = "file", description = "file or webhook" },
    url      = { type = "string", description = "the coupon service, for delivery = webhook" },
  },

  on_enter = function(member, ctx)
    local text = string.format("%s:%.2f", ctx.config.code, ctx.config.amount)
    deliver(ctx, "coupon", member.id, text, { code = ctx.config.code, amount = ctx.config.amount })
  end,
}
