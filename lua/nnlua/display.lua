-- nnlua.display: where pictures and rich output go.
--
-- Outside a notebook no sink is installed: show() returns false and the
-- caller (image.display, gnuplot, itorch, optim.Logger:plot) writes a file
-- and says where. The Jupyter kernel installs a sink that turns a bundle
-- into a display_data message.
--
--   local display = require 'nnlua.display'
--   if not display.show{['image/png'] = png_bytes, ['text/plain'] = 'plot'} then
--      -- write the file instead
--   end
--
-- A bundle maps MIME types to raw strings: 'image/png' holds the PNG bytes
-- (not base64; the sink encodes), 'text/html' and 'text/plain' hold text.
local display = {}

local sink = nil

-- Installs (or, with nil, removes) the function that receives bundles.
function display.set_sink(fn)
   assert(fn == nil or type(fn) == 'function', 'nnlua.display.set_sink: expected a function or nil')
   sink = fn
end

-- True when a sink (a notebook) takes output.
function display.active()
   return sink ~= nil
end

-- Hands a bundle to the sink; returns true when it was shown.
function display.show(bundle, metadata)
   assert(type(bundle) == 'table', 'nnlua.display.show: expected a table of MIME type -> data')
   if not sink then return false end
   sink(bundle, metadata or {})
   return true
end

return display
