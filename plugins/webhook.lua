-- webhook: POSTs a JSON event to a URL when members enter (and, if asked,
-- leave) the segment. The host adds an Idempotency-Key header and retries.
return plugin "webhook" {
  version = "1.0",
  config = {
    url        = { type = "string", required = true, description = "where to POST" },
    notify_leave = { type = "boolean", default = false },
  },

  on_enter = function(member, ctx)
    ctx.outbox.emit {
      to = "webhook",
      url = ctx.config.url,
      body = { event = "entered", segment = ctx.segment, member = member.id,
               identities = member.identities, tags = member.tags, as_of = ctx.as_of },
    }
  end,

  on_leave = function(member, ctx)
    if not ctx.config.notify_leave then return end
    ctx.outbox.emit {
      to = "webhook",
      url = ctx.config.url,
      body = { event = "left", segment = ctx.segment, member = member.id, as_of = ctx.as_of },
    }
  end,
}
