-- csv_export: appends each member who enters the segment to
-- exports/<segment>/<YYYY-MM-DD>.csv (one file per segment and day).
local csv = require "lib.csv"
local dates = require "lib.dates"

return plugin "csv_export" {
  version = "1.0",
  config = {
    columns = { type = "table", default = { "region", "level" }, description = "attributes after the member id" },
  },

  on_enter = function(member, ctx)
    local cells = { member.id }
    for _, column in ipairs(ctx.config.columns) do
      cells[#cells + 1] = member.attr[column]
    end
    ctx.outbox.emit {
      to = "file",
      path = ctx.segment .. "/" .. dates.ymd(ctx.as_of) .. ".csv",
      line = csv.line(cells),
    }
  end,
}
