-- csv: one CSV line from a list of cells (RFC 4180 quoting).
local csv = {}

local function cell(value)
  local text = tostring(value == nil and "" or value)
  if text:find('[,"\r\n]') then
    text = '"' .. text:gsub('"', '""') .. '"'
  end
  return text
end

function csv.line(cells)
  local out = {}
  for i, value in ipairs(cells) do out[i] = cell(value) end
  return table.concat(out, ",")
end

return csv
