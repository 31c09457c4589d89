-- csvigo.File: a CSV file read or written a record at a time, in Torch7's
-- csvigo dialect: fields are separated by one character (',' by default;
-- ' ' means runs of blanks), a field holding the separator or a '"' is
-- written between quotes with its quotes doubled, '\r' is dropped, one
-- record per line.
local torch = require 'torch'
local csvigo = require 'csvigo'

local File = torch.class('csvigo.File', csvigo)

-- a field, quoted when it must be
function File.escape(s, sep)
   s = tostring(s)
   if s:find('["' .. sep:gsub('%p', '%%%0') .. ']') then s = '"' .. s:gsub('"', '""') .. '"' end
   return s
end

-- one line -> the list of its fields (strings)
function File.parse(line, sep)
   local s = line .. sep
   local pat = sep == ' ' and '%s+' or sep:gsub('%p', '%%%0')
   local t = {}
   local start = 1
   while start <= #s do
      if s:sub(start, start) == '"' then
         local i = start
         local a, c
         repeat
            a, i, c = s:find('"("?)', i + 1)
            if not a then error(string.format("csvigo: unmatched '\"' in line: %s", line), 0) end
         until c ~= '"'
         t[#t + 1] = s:sub(start + 1, i - 1):gsub('""', '"')
         local nexts = s:find(pat, i)
         if not nexts then error(string.format('csvigo: text after a closing quote in line: %s', line), 0) end
         start = select(2, s:find(pat, i)) + 1
      else
         local a, b = s:find(pat, start)
         t[#t + 1] = s:sub(start, a - 1)
         start = b + 1
      end
   end
   return t
end

function File:__init(path, mode, separator, nan_as_missing)
   if type(path) ~= 'string' then error('csvigo.File: expected a file name, got ' .. type(path), 3) end
   self.filepath = path
   self.separator = separator or ','
   self.nan_as_missing = nan_as_missing or false
   local f, msg = io.open(path, mode or 'r')
   if not f then error('csvigo.File: ' .. msg, 3) end
   self.file = f
end

function File:close() self.file:close() end

function File:lines() return self.file:lines() end

-- the next record, nil at the end
function File:read()
   local line = self.file:read('*l')
   if not line then return nil end
   return File.parse(line:gsub('\r', ''), self.separator)
end

-- every remaining record
function File:readall(mode)
   if mode == 'large' then return self:largereadall() end
   local res = {}
   for line in self.file:lines() do res[#res + 1] = File.parse(line:gsub('\r', ''), self.separator) end
   return res
end

-- 'large' mode: the text is kept and rows are parsed when indexed
-- (t[i]; t:size() or #t where __len works; tostring shows the first and
-- last rows).
function File:largereadall()
   local text = self.file:read('*a')
   local starts, stops = {}, {}
   local pos = 1
   while pos <= #text do
      local nl = text:find('\n', pos, true) or (#text + 1)
      starts[#starts + 1], stops[#stops + 1] = pos, nl - 1
      pos = nl + 1
   end
   local sep = self.separator
   local n = #starts
   local function line(i) return (text:sub(starts[i], stops[i]):gsub('\r', '')) end
   local methods = { size = function() return n end }
   local mt = {
      __index = function(_, i)
         if methods[i] then return methods[i] end
         if type(i) ~= 'number' or i < 1 or i > n or i % 1 ~= 0 then
            error(string.format('csvigo large table: index %s out of bounds 1..%d', tostring(i), n), 2)
         end
         return File.parse(line(i), sep)
      end,
      __newindex = function() error('csvigo large table: read-only', 2) end,
      __len = function() return n end,
      __tostring = function()
         local s = {}
         if n < 30 then
            for i = 1, n do s[#s + 1] = line(i) end
         else
            for i = 1, 10 do s[#s + 1] = line(i) end
            for _ = 1, 10 do s[#s + 1] = '.. .. .. .. .. .. .. .. .. ' end
            for i = n - 10, n do s[#s + 1] = line(i) end
         end
         return table.concat(s, '\n') .. '\n'
      end,
   }
   return setmetatable({}, mt)
end

local function row(t, sep, nan_as_missing)
   local out = {}
   for i, v in ipairs(t) do
      if nan_as_missing and v ~= v then v = '' end
      out[i] = File.escape(v, sep)
   end
   return table.concat(out, sep)
end

function File:write(record)
   local ok, msg = self.file:write(row(record, self.separator, self.nan_as_missing), '\n')
   if not ok then error('csvigo.File:write: ' .. msg, 2) end
end

function File:writeall(records)
   for _, r in ipairs(records) do self:write(r) end
   return true
end

return File
