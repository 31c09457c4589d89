-- Helpers for the plot specs: temporary folders, files, PNG headers and
-- captured print output.
local paths = require 'paths'
local util = {}

function util.tmpdir()
   local d = os.tmpname()
   os.remove(d)
   paths.mkdir(d)
   return d
end

function util.read(path)
   local f = io.open(path, 'rb')
   if not f then return nil end
   local s = f:read('*a')
   f:close()
   return s
end

local function be32(s, i)
   local a, b, c, d = s:byte(i, i + 3)
   return ((a * 256 + b) * 256 + c) * 256 + d
end

-- width and height from a PNG's IHDR chunk; errors when s is not a PNG
function util.png_size(s)
   assert(type(s) == 'string' and #s > 33, 'not a PNG: too short')
   assert(s:sub(1, 8) == '\137PNG\r\n\26\n', 'not a PNG: bad signature')
   assert(s:sub(13, 16) == 'IHDR', 'not a PNG: no IHDR first')
   return be32(s, 17), be32(s, 21)
end

-- runs fn with print captured; returns the printed lines
function util.printed(fn)
   local lines = {}
   local old = _G.print
   _G.print = function(...)
      local t = {}
      for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
      lines[#lines + 1] = table.concat(t, '\t')
   end
   local ok, err = pcall(fn)
   _G.print = old
   if not ok then error(err, 0) end
   return lines
end

return util
