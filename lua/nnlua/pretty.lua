-- nnlua.pretty: th's `print`, shared by scripts, the REPL and the notebook
-- kernel.
--
--   pretty.format(...)        -> the text print(...) writes (with its '\n')
--   pretty.print(...)         writes it to io.stdout (installed as _G.print)
--   pretty.value(v [, depth]) -> one value as the REPL shows it (no newline)
--   pretty.th_exact           true: also th's trailing tab after plain values
--                             and nothing for print() (NNLUA_TH_PRINT=1)
--
-- As Torch7's trepl printed: plain values tab-separated; a table as a tree
-- of `key : value` lines (two spaces per level inside braces, four more per
-- nested table, strings in double quotes, tensors and storages as
-- `DoubleTensor - size: 2x3`, an empty or too deep nested table as `{...}`,
-- at most five levels); tensors, modules and other objects with __tostring
-- through it. Unlike th, keys come in a stable order (the array part first,
-- then numbers, then strings, sorted), a table already on the path is shown
-- as `<cycle: table: 0x...>`, and (unless th_exact) no tab ends the line:
-- the Torch7 fixtures of plain luajit output print the same under nnlua.
local pretty = {}

pretty.th_exact = os.getenv('NNLUA_TH_PRINT') == '1'
pretty.depth = 5   -- th's setprintlevel(5): nested tables below 4 levels are {...}

local write, concat, format = io.write, table.concat, string.format
local tostring, type, next, pairs, select = tostring, type, next, pairs, select

local function typename(v)
   local torch = package.loaded.torch
   return torch and torch.typename and torch.typename(v)
end

-- Tensors and storages inside a table: `DoubleTensor - size: 2x3`.
local function size_str(v, tn)
   local short = tn:match('^torch%.(.+)$') or tn
   if tn:find('Storage', 1, true) then return short .. ' - size: ' .. v:size() end
   if v:nDimension() == 0 then return short .. ' - empty' end
   local s = {}
   for i = 1, v:nDimension() do s[i] = v:size(i) end
   return short .. ' - size: ' .. concat(s, 'x')
end

local function is_tensor_like(tn)
   return tn and (tn:find('Tensor', 1, true) or tn:find('Storage', 1, true)) and tn:match('^torch%.') ~= nil
end

-- A value inside a table (not a table).
local function nested(v)
   local tv = type(v)
   if tv == 'string' then return '"' .. v .. '"' end
   if tv == 'cdata' or tv == 'userdata' then
      local tn = typename(v)
      if is_tensor_like(tn) then return size_str(v, tn) end
   end
   return tostring(v)
end

local function key_order(a, b)
   local ta, tb = type(a), type(b)
   if ta ~= tb then
      if ta == 'number' then return true end
      if tb == 'number' then return false end
      return ta < tb
   end
   if ta == 'number' or ta == 'string' then return a < b end
   return tostring(a) < tostring(b)
end

local function sorted_keys(t)
   local keys, n = {}, #t
   for i = 1, n do keys[i] = i end
   local rest = {}
   for k in pairs(t) do
      if not (type(k) == 'number' and k >= 1 and k <= n and k % 1 == 0) then rest[#rest + 1] = k end
   end
   table.sort(rest, key_order)
   for _, k in ipairs(rest) do keys[#keys + 1] = k end
   return keys
end

-- th's tree: `depth` is the nesting level (0 at the top); `maxdepth` the
-- print level; `path` the tables being printed (cycles).
local function tree(out, t, depth, maxdepth, path)
   local pad = string.rep(' ', depth * 4)
   if next(t) == nil then
      out[#out + 1] = pad .. '{}\n'
      return
   end
   path[t] = true
   out[#out + 1] = pad .. '{\n'
   local inner = pad .. '  '
   for _, k in ipairs(sorted_keys(t)) do
      local v = t[k]
      if type(v) == 'table' then
         if path[v] then
            out[#out + 1] = inner .. tostring(k) .. ' : <cycle: ' .. tostring(v) .. '>\n'
         elseif depth >= maxdepth - 1 or next(v) == nil then
            out[#out + 1] = inner .. tostring(k) .. ' : {...}\n'
         else
            out[#out + 1] = inner .. tostring(k) .. ' : \n'
            tree(out, v, depth + 1, maxdepth, path)
         end
      else
         out[#out + 1] = inner .. tostring(k) .. ' : ' .. nested(v) .. '\n'
      end
   end
   out[#out + 1] = pad .. '}\n'
   path[t] = nil
end

local function has_tostring(v)
   local mt = getmetatable(v)
   return type(mt) == 'table' and rawget(mt, '__tostring') ~= nil
end

-- The text of print(...), given the count of values.
local function format_n(n, maxdepth, ...)
   local out = {}
   local plain = {}   -- pending plain values, joined with tabs
   local function flush(last)
      if #plain == 0 then return end
      if pretty.th_exact then
         out[#out + 1] = concat(plain, '\t') .. '\t' .. (last and '\n' or '')
      else
         out[#out + 1] = concat(plain, '\t') .. (last and '\n' or '\t')
      end
      plain = {}
   end
   for i = 1, n do
      local v = select(i, ...)
      local tv = type(v)
      if tv == 'table' and not has_tostring(v) then
         flush(false)
         tree(out, v, 0, maxdepth, {})
      elseif tv == 'table' or tv == 'cdata' or tv == 'userdata' then
         flush(false)
         out[#out + 1] = tostring(v) .. '\n'
      else
         plain[#plain + 1] = tostring(v)
         if i == n then flush(true) end
      end
   end
   if n == 0 and not pretty.th_exact then return '\n' end
   return concat(out)
end

function pretty.format(...)
   return format_n(select('#', ...), pretty.depth, ...)
end

function pretty.print(...)
   write(format_n(select('#', ...), pretty.depth, ...))
   io.stdout:flush()
end

-- One value as the REPL shows it: a tree for a table (`depth` levels,
-- default th's), tostring otherwise; no trailing newline.
function pretty.value(v, depth)
   local s = format_n(1, depth or pretty.depth, v)
   return (s:gsub('\t?\n$', ''))
end

return pretty
