-- xlua.OptionParser: Torch7's command-line parser in the manner of Python's
-- optparse. op = xlua.OptionParser('%prog [options]');
-- op:option{'-s', '--save', action='store', dest='save', default='out', help='...'}
-- (actions 'store', 'store_true', 'store_false'; req=true for a required
-- one); options, args = op:parse() reads the global arg (or op:parse(opts)
-- fills opts); -h/--help prints the usage and exits; a bad option prints
-- why, then the usage, and exits 1.
local xlua = require 'xlua'

local OptionParser = {}

function xlua.OptionParser(usage)
   local self = { usage = usage or '%prog [options]', option_descriptions = {}, option_of = {} }
   for k, v in pairs(OptionParser) do self[k] = v end
   self:option { '-h', '--help', action = 'store_true', dest = 'help', help = 'show this help message and exit' }
   return self
end

function OptionParser:fail(s)
   io.stderr:write(s .. '\n')
   self:help()
   os.exit(1)
end

function OptionParser:option(optdesc)
   if type(optdesc) ~= 'table' or type(optdesc[1]) ~= 'string' then
      error("xlua.OptionParser:option: expected {'-x', ['--long',] dest=..., help=...}", 2)
   end
   optdesc.dest = optdesc.dest or optdesc[#optdesc]:gsub('^%-+', '')
   self.option_descriptions[#self.option_descriptions + 1] = optdesc
   for _, v in ipairs(optdesc) do self.option_of[v] = optdesc end
end

function OptionParser:parse(options)
   options = options or {}
   local args = {}
   for _, v in ipairs(self.option_descriptions) do
      if v.default ~= nil and options[v.dest] == nil then options[v.dest] = v.default end
   end
   local argv = rawget(_G, 'arg')
   if not argv then
      options.__main__ = false
      self.options = options
      return options, args
   end
   options.__main__ = true
   -- '--input=file' -> '--input', 'file'
   local a = {}
   for i = 1, #argv do
      local flag, val = argv[i]:match('^(%-%-[%w_%-]+)=(.*)$')
      if flag then a[#a + 1] = flag a[#a + 1] = val else a[#a + 1] = argv[i] end
   end
   local i = 1
   while i <= #a do
      local v = a[i]
      local d = self.option_of[v]
      if d then
         local val = d.default
         if d.action == 'store' or d.action == nil then
            i = i + 1
            val = a[i] or d.default
            if val == nil then self:fail('option requires an argument ' .. v) end
         elseif d.action == 'store_true' then val = true
         elseif d.action == 'store_false' then val = false end
         options[d.dest] = val
      else
         if v:match('^%-') then self:fail('invalid option ' .. v) end
         args[#args + 1] = v
      end
      i = i + 1
   end
   for k, d in pairs(self.option_of) do
      if d.req and options[d.dest] == nil then self:fail('option ' .. k .. ' requires an argument ') end
   end
   if options.help then
      self:help()
      os.exit(0)
   end
   self.options = options
   return options, args
end
OptionParser.parse_args = OptionParser.parse

function OptionParser:flags(d)
   local out = {}
   for _, flag in ipairs(d) do
      local tail = ''
      if d.action == nil or d.action == 'store' then
         local metavar = d.metavar or d.dest:upper()
         tail = #flag == 2 and (' ' .. metavar) or ('=' .. metavar)
      end
      out[#out + 1] = flag .. tail
   end
   return table.concat(out, ', ')
end

function OptionParser:help()
   local argv = rawget(_G, 'arg')
   local prog = argv and argv[0] or 'THISPROG'
   io.write('Usage: ' .. self.usage:gsub('%%prog', (prog:gsub('%%', '%%%%'))) .. '\n\nOptions:\n')
   local pad = 0
   for _, d in ipairs(self.option_descriptions) do pad = math.max(pad, #self:flags(d)) end
   for _, d in ipairs(self.option_descriptions) do
      local def = ''
      if d.req then def = ' [REQUIRED]'
      elseif d.default ~= nil then def = ' [default = ' .. tostring(d.default) .. ']' end
      local flags = self:flags(d)
      io.write('  ' .. flags .. string.rep(' ', pad - #flags) .. '  ' .. (d.help or '') .. def .. '\n')
   end
end

-- tostring(): '<script> configuration:' and ' + key = value' lines; with
-- generatefilename, 'flag=value,...' for a file name (params: which flags).
function OptionParser:tostring(generatefilename, params)
   if not generatefilename then
      local argv = rawget(_G, 'arg')
      local s = { '<' .. ((argv and argv[0]) or 'interpreted.lua'):gsub('%.lua$', '') .. '> configuration:' }
      local keys = {}
      for k in pairs(self.options or {}) do keys[#keys + 1] = tostring(k) end
      table.sort(keys)
      for _, k in ipairs(keys) do s[#s + 1] = ' + ' .. k .. ' = ' .. tostring(self.options[k]) end
      return table.concat(s, '\n') .. '\n'
   end
   local parts = {}
   params = params or {}
   for _, d in ipairs(self.option_descriptions) do
      local key, match = d[1], #params == 0
      for _, p in ipairs(params) do if p == key then match = true end end
      local val = self.options and self.options[d.dest]
      if val and match then parts[#parts + 1] = key .. '=' .. tostring(val) end
   end
   return (table.concat(parts, ','):gsub('/', '|'):gsub(' ', '_'))
end

function OptionParser:summarize(compact)
   io.write(self:tostring(compact))
end

return xlua.OptionParser
