-- xlua's table and argument helpers: table2string, usage, unpack,
-- unpack_class, usage_module; and the string/table extensions Torch7's
-- xlua adds (string.split, string.tosymbol, table.splice, table.prune).
local xlua = require 'xlua'
local sys = require 'sys'

local function val_str(v)
   if type(v) == 'string' then
      v = v:gsub('\n', '\\n')
      if v:gsub('[^\'"]', ''):match('^"+$') then return "'" .. v .. "'" end
      return '"' .. v:gsub('"', '\\"') .. '"'
   end
   if type(v) == 'table' then return xlua.table2string(v) end
   return tostring(v)
end

local function key_str(k)
   if type(k) == 'string' and k:match('^[_%a][_%w]*$') then return k end
   return '[' .. val_str(k) .. ']'
end

-- table2string(t [, newline]): '{1,"a",x={2}}' (or one entry a line).
function xlua.table2string(t, newline)
   local parts, done = {}, {}
   for i, v in ipairs(t) do
      parts[#parts + 1] = val_str(v)
      done[i] = true
   end
   local keys = {}
   for k in pairs(t) do if not done[k] then keys[#keys + 1] = k end end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   local sep = newline and ' : ' or '='
   for _, k in ipairs(keys) do parts[#parts + 1] = key_str(k) .. sep .. val_str(t[k]) end
   if newline then return '{\n   ' .. table.concat(parts, '\n   ') .. '\n}' end
   return '{' .. table.concat(parts, ',') .. '}'
end

-- usage(funcname, description, example, argdefs...): Torch7's help text.
function xlua.usage(funcname, description, example, ...)
   local c = sys.COLORS
   local banner = string.rep('+', 69)
   local s = { banner, c.Magenta .. funcname .. c.none }
   if description then s[#s + 1] = '\n' .. description end
   s[#s + 1] = '\n' .. c.blue .. '> ' .. c.none .. 'usage:'
   local args = { ... }
   if args[1] and args[1].tabled then args = args[1].tabled end
   local body = {}
   if args[1] and args[1].arg then
      body[#body + 1] = funcname .. '{'
      for _, p in ipairs(args) do
         local key = p.req and ('    ' .. p.arg .. ' = ' .. p.type) or ('    [' .. p.arg .. ' = ' .. p.type .. ']')
         key = key .. string.rep(' ', math.max(0, 40 - #key)) .. '-- ' .. (p.help or '')
         if type(p.default) == 'table' then key = key .. '  [default = ' .. xlua.table2string(p.default) .. ']'
         elseif p.default ~= nil then key = key .. '  [default = ' .. tostring(p.default) .. ']'
         elseif p.defaulta then key = key .. '  [default == ' .. p.defaulta .. ']' end
         body[#body + 1] = key
      end
      body[#body + 1] = '}'
   else
      body[#body + 1] = funcname .. '('
      for _, p in ipairs(args) do
         if type(p) == 'table' then
            local key = p.req and ('    ' .. p.type) or ('    [' .. p.type .. ']')
            body[#body + 1] = key .. string.rep(' ', math.max(0, 40 - #key)) .. '-- ' .. (p.help or '')
         end
      end
      body[#body + 1] = ')'
   end
   s[#s + 1] = c.cyan .. table.concat(body, '\n') .. c.none
   if example then s[#s + 1] = '\n' .. c.cyan .. example .. c.none end
   s[#s + 1] = banner
   return table.concat(s, '\n')
end

-- unpack(args, funcname, description, argdefs...): named ({k = v}) or
-- positional arguments checked against the definitions ({arg=, type=,
-- help=, req=, default=, defaulta=}); returns the table, then the values.
function xlua.unpack(args, funcname, description, ...)
   local defs = { ... }
   local usage = setmetatable({}, { __tostring = function()
      return xlua.usage(funcname, description, nil, { tabled = defs })
   end })
   local given = {}
   if #args == 0 then
      print(usage)
      xlua.error('missing arguments', funcname)
   elseif #args == 1 and type(args[1]) == 'table' and #args[1] == 0 and getmetatable(args[1]) == nil then
      given = args[1]
   else
      for i = 1, #defs do given[defs[i].arg] = args[i] end
   end
   local out = {}
   for i, d in ipairs(defs) do
      local v = given[d.arg]
      if d.req and v == nil then
         print(usage)
         xlua.error('missing argument: ' .. d.arg, funcname)
      end
      if v == nil then v = d.default end
      if v == nil and d.defaulta then v = out[d.defaulta] end
      out[d.arg] = v
      out[i] = v
   end
   out.usage = usage
   return out, unpack(out, 1, #defs)
end

function xlua.unpack_class(object, args, funcname, description, ...)
   local dargs = xlua.unpack(args, funcname, description, ...)
   for k, v in pairs(dargs) do
      if type(k) ~= 'number' then object[k] = v end
   end
end

-- usage_module(module, name, description): the module prints as its help.
function xlua.usage_module(module, name, description)
   local banner = string.rep('+', 69)
   local str = banner .. '\nPACKAGE:\n' .. name .. '\n'
   if description then str = str .. '\nDESC:\n' .. description .. '\n' end
   str = str .. banner
   local mt = getmetatable(module) or {}
   mt.__tostring = function() return str end
   setmetatable(module, mt)
   return str
end

-- splice(t [, start [, length]]): t without the elements start..start+length-1,
-- and those elements.
function table.splice(t, start, length)
   length, start = length or 1, start or 1
   local kept, removed = {}, {}
   for i, v in ipairs(t) do
      if i < start or i >= start + length then kept[#kept + 1] = v else removed[#removed + 1] = v end
   end
   return kept, removed
end

-- prune(t [, hash [, merge]]): t without duplicates.
function table.prune(t, hash, merge)
   hash = hash or function(a) return a end
   local seen, order = {}, {}
   for _, v in ipairs(t) do
      local h = hash(v)
      if seen[h] == nil then order[#order + 1] = h seen[h] = v
      elseif merge then seen[h] = merge(v, seen[h])
      else seen[h] = v end
   end
   local out = {}
   for _, h in ipairs(order) do out[#out + 1] = seen[h] end
   return out
end

string.split = string.split or function(str, pat)
   return sys.split(str, pat)
end

function string.tosymbol(str)
   local f = loadstring('return ' .. str)
   local ok, res = pcall(f or error, 'string.tosymbol: not an expression: ' .. str)
   if not ok then error(res, 2) end
   if not res then error('symbol "' .. str .. '" does not exist', 2) end
   return res
end

return xlua
