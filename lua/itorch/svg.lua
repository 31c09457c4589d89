-- itorch.svg: draws an itorch.Plot as one inline SVG element: axes with
-- round ticks and a light grid, the title and axis labels, the glyphs
-- (circles, triangles, lines, segments, quads, texts) clipped to the plot
-- area, and a legend box when the plot asks for one.
local svg = {}

function svg.escape(s)
   return (tostring(s):gsub('[&<>"\']', { ['&'] = '&amp;', ['<'] = '&lt;', ['>'] = '&gt;', ['"'] = '&quot;', ["'"] = '&#39;' }))
end
local esc = svg.escape

local function finite(v) return type(v) == 'number' and v == v and v ~= math.huge and v ~= -math.huge end

-- about n round tick values covering [lo, hi]
local function ticks(lo, hi, n)
   local raw = (hi - lo) / n
   local mag = 10 ^ math.floor(math.log10(raw))
   local step = 10 * mag
   for _, m in ipairs { 1, 2, 5 } do
      if m * mag >= raw then step = m * mag break end
   end
   local out = {}
   local t = math.ceil(lo / step - 1e-9) * step
   while t <= hi + step * 1e-9 do
      out[#out + 1] = math.abs(t) < step * 1e-9 and 0 or t
      t = t + step
   end
   return out
end

local function range(vals)
   local lo, hi = math.huge, -math.huge
   for _, v in ipairs(vals) do
      if finite(v) then lo, hi = math.min(lo, v), math.max(hi, v) end
   end
   if lo > hi then return 0, 1 end
   if lo == hi then
      local d = lo == 0 and 1 or math.abs(lo) * 0.1
      return lo - d, hi + d
   end
   local pad = (hi - lo) * 0.05
   return lo - pad, hi + pad
end

local function color_at(c, i)
   if type(c) == 'table' then return c[(i - 1) % math.max(#c, 1) + 1] or 'red' end
   return c
end

local function fmt(v) return string.format('%.2f', v) end
local function label(v) return (string.format('%.6g', v)) end

local nplots = 0

function svg.render(plot)
   if not plot._svgid then
      nplots = nplots + 1
      plot._svgid = 'itorch-clip-' .. os.time() .. '-' .. nplots
   end
   local W, H = plot._width or 600, plot._height or 400
   local L, R, T, B = 70, 20, 40, 50
   local xs, ys = {}, {}
   for _, d in ipairs(plot._data) do
      if d.x then
         for _, v in ipairs(d.x) do xs[#xs + 1] = v end
         for _, v in ipairs(d.y) do ys[#ys + 1] = v end
      else
         for _, k in ipairs { 'x0', 'x1' } do for _, v in ipairs(d[k]) do xs[#xs + 1] = v end end
         for _, k in ipairs { 'y0', 'y1' } do for _, v in ipairs(d[k]) do ys[#ys + 1] = v end end
      end
   end
   local xlo, xhi = range(xs)
   local ylo, yhi = range(ys)
   local pw, ph = W - L - R, H - T - B
   local function px(v) return L + (v - xlo) / (xhi - xlo) * pw end
   local function py(v) return T + ph - (v - ylo) / (yhi - ylo) * ph end

   local clip = plot._svgid
   local o = {}
   local function add(s) o[#o + 1] = s end
   add(string.format('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" ' ..
      'font-family="sans-serif" font-size="12">', W, H, W, H))
   add(string.format('<rect x="0" y="0" width="%d" height="%d" fill="white"/>', W, H))
   add(string.format('<defs><clipPath id="%s"><rect x="%d" y="%d" width="%d" height="%d"/></clipPath></defs>',
      clip, L, T, pw, ph))
   -- grid and ticks
   add('<g class="grid" stroke="#e5e5e5" stroke-width="1">')
   local xt, yt = ticks(xlo, xhi, 8), ticks(ylo, yhi, 6)
   for _, t in ipairs(xt) do add(string.format('<line x1="%s" y1="%d" x2="%s" y2="%d"/>', fmt(px(t)), T, fmt(px(t)), T + ph)) end
   for _, t in ipairs(yt) do add(string.format('<line x1="%d" y1="%s" x2="%d" y2="%s"/>', L, fmt(py(t)), L + pw, fmt(py(t)))) end
   add('</g>')
   add('<g class="ticks" fill="#333">')
   for _, t in ipairs(xt) do
      add(string.format('<text x="%s" y="%d" text-anchor="middle">%s</text>', fmt(px(t)), T + ph + 16, label(t)))
   end
   for _, t in ipairs(yt) do
      add(string.format('<text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>', L - 6, fmt(py(t)), label(t)))
   end
   add('</g>')
   add(string.format('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>', L, T, pw, ph))
   add(string.format('<text class="title" x="%s" y="24" text-anchor="middle" font-size="16" font-weight="bold">%s</text>',
      fmt(L + pw / 2), esc(plot._title or 'Untitled Plot')))
   if plot._xaxis then
      add(string.format('<text class="xaxis" x="%s" y="%d" text-anchor="middle">%s</text>', fmt(L + pw / 2), H - 10, esc(plot._xaxis)))
   end
   if plot._yaxis then
      add(string.format('<text class="yaxis" x="16" y="%s" text-anchor="middle" transform="rotate(-90 16 %s)">%s</text>',
         fmt(T + ph / 2), fmt(T + ph / 2), esc(plot._yaxis)))
   end

   -- glyphs
   add(string.format('<g clip-path="url(#%s)">', clip))
   for _, d in ipairs(plot._data) do
      if d.type == 'Line' then
         local pts = {}
         local function flush()
            if #pts > 1 then
               add(string.format('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>',
                  esc(color_at(d.color, 1)), table.concat(pts, ' ')))
            end
            pts = {}
         end
         for i = 1, #d.x do
            if finite(d.x[i]) and finite(d.y[i]) then
               pts[#pts + 1] = fmt(px(d.x[i])) .. ',' .. fmt(py(d.y[i]))
            else
               flush()
            end
         end
         flush()
      elseif d.type == 'Circle' or d.type == 'Triangle' then
         for i = 1, #d.x do
            if finite(d.x[i]) and finite(d.y[i]) then
               local c, x, y = esc(color_at(d.color, i)), px(d.x[i]), py(d.y[i])
               if d.type == 'Circle' then
                  add(string.format('<circle cx="%s" cy="%s" r="5" fill="%s" fill-opacity="0.2" stroke="%s"/>',
                     fmt(x), fmt(y), c, c))
               else
                  add(string.format('<polygon points="%s,%s %s,%s %s,%s" fill="%s" fill-opacity="0.2" stroke="%s"/>',
                     fmt(x), fmt(y - 6), fmt(x - 5), fmt(y + 4), fmt(x + 5), fmt(y + 4), c, c))
               end
            end
         end
      elseif d.type == 'Segment' then
         for i = 1, #d.x0 do
            add(string.format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/>',
               fmt(px(d.x0[i])), fmt(py(d.y0[i])), fmt(px(d.x1[i])), fmt(py(d.y1[i])), esc(color_at(d.color, i))))
         end
      elseif d.type == 'Quad' then
         for i = 1, #d.x0 do
            local xa, xb = px(d.x0[i]), px(d.x1[i])
            local ya, yb = py(d.y0[i]), py(d.y1[i])
            local c = esc(color_at(d.color, i))
            add(string.format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.7" stroke="%s"/>',
               fmt(math.min(xa, xb)), fmt(math.min(ya, yb)), fmt(math.abs(xb - xa)), fmt(math.abs(yb - ya)), c, c))
         end
      elseif d.type == 'Text' then
         local anchor = ({ left = 'start', center = 'middle', right = 'end' })[d.align or 'left'] or 'start'
         for i = 1, #d.x do
            local x, y = px(d.x[i]), py(d.y[i])
            local rot = d.angle and string.format(' transform="rotate(%s %s %s)"', fmt(-math.deg(d.angle)), fmt(x), fmt(y)) or ''
            add(string.format('<text x="%s" y="%s" fill="%s" text-anchor="%s"%s%s>%s</text>', fmt(x), fmt(y),
               esc(color_at(d.color, i)), anchor, d.size and (' font-size="' .. esc(d.size) .. '"') or '', rot,
               esc(d.text[i])))
         end
      end
   end
   add('</g>')

   -- legend
   if plot._legend then
      local entries = {}
      for _, d in ipairs(plot._data) do
         if d.type ~= 'Text' and d.legend then entries[#entries + 1] = d end
      end
      if #entries > 0 then
         local wmax = 0
         for _, d in ipairs(entries) do wmax = math.max(wmax, #tostring(d.legend)) end
         local bw, bh = 40 + wmax * 7, 8 + #entries * 18
         local bx, by = L + pw - bw - 8, T + 8
         add(string.format('<g class="legend"><rect x="%d" y="%d" width="%d" height="%d" fill="white" fill-opacity="0.85" stroke="#999"/>',
            bx, by, bw, bh))
         for i, d in ipairs(entries) do
            local cy, c = by + 4 + (i - 1) * 18 + 9, esc(color_at(d.color, 1))
            if d.type == 'Circle' then
               add(string.format('<circle cx="%d" cy="%d" r="5" fill="%s" fill-opacity="0.2" stroke="%s"/>', bx + 16, cy, c, c))
            elseif d.type == 'Triangle' then
               add(string.format('<polygon points="%d,%d %d,%d %d,%d" fill="%s" fill-opacity="0.2" stroke="%s"/>',
                  bx + 16, cy - 6, bx + 11, cy + 4, bx + 21, cy + 4, c, c))
            elseif d.type == 'Quad' then
               add(string.format('<rect x="%d" y="%d" width="14" height="10" fill="%s" fill-opacity="0.7" stroke="%s"/>', bx + 9, cy - 5, c, c))
            else
               add(string.format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>', bx + 6, cy, bx + 26, cy, c))
            end
            add(string.format('<text x="%d" y="%d" dominant-baseline="middle">%s</text>', bx + 32, cy, esc(d.legend)))
         end
         add('</g>')
      end
   end
   add('</svg>')
   return table.concat(o, '\n')
end

return svg
