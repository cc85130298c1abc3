-- template: fills "{id}", "{attr.region}", "{tags.rfm_class}", "{identities.phone}"
-- and "{segment}" placeholders from a member and a hook context.
local template = {}

function template.render(text, member, ctx)
  return (text:gsub("{([%w_%.]+)}", function(path)
    if path == "segment" then return ctx.segment end
    local value = member
    for key in path:gmatch("[^%.]+") do
      value = type(value) == "table" and value[key] or nil
    end
    return value == nil and "" or tostring(value)
  end))
end

return template
