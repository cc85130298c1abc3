-- deliver: hands a rendered message to the delivery the segment configured:
--   delivery = "webhook" posts { channel, to, text, ... } to config.url;
--   delivery = "file" appends a CSV line to <channel>/<segment>/<day>.csv.
local csv = require "lib.csv"
local dates = require "lib.dates"

return function(ctx, channel, to, text, extra)
  if ctx.config.delivery == "webhook" then
    local body = { channel = channel, to = to, text = text, segment = ctx.segment, transition = ctx.transition }
    for key, value in pairs(extra or {}) do body[key] = value end
    ctx.outbox.emit { to = "webhook", url = ctx.config.url, body = body }
  else
    ctx.outbox.emit {
      to = "file",
      path = channel .. "/" .. ctx.segment .. "/" .. dates.ymd(ctx.as_of) .. ".csv",
      line = csv.line { to, text },
    }
  end
end
