-- torch.CmdLine: Torch7's command-line parser. Options (-key value, or a
-- -flag for booleans that flips the default), positional arguments, help
-- text (-h, -help, --help print it and exit), a string naming a run from
-- its non-default options (string), and a log file that receives a copy
-- of everything print() writes (log).
local torch = require 'torch'

local CmdLine = torch.class('torch.CmdLine')

local function strip(key) return (key:match('^%-*(.*)$')) end
local function pad(s, width) return s .. string.rep(' ', width - #s) end

function CmdLine:__init(argseparator, keyseparator)
   self.argseparator = argseparator or ','
   self.keyseparator = keyseparator or '='
   self.options = {}
   self.arguments = {}
   self.helplines = {}
   self.dateformat = nil
   self.silentio = false
end

-- Prints msg on stderr (a whole line: Torch7 left it without its newline,
-- so it ran into the next output), then the help, and exits with status 1.
function CmdLine:error(msg)
   io.stdout:flush()
   io.stderr:write('\n', msg, '\n')
   io.stderr:flush()
   print('')
   self:help()
   os.exit(1)
end

function CmdLine:silent()
   self.silentio = true
end

-- Prefixes each logged line with the date (os.date format) and a name.
function CmdLine:addTime(name, format)
   format = format or '%Y-%m-%d %H:%M:%S'
   if type(format) ~= 'string' then error('torch.CmdLine:addTime: the format should be a string', 2) end
   self.dateformat = format .. (name ~= nil and ('[' .. tostring(name) .. ']: ') or '')
end

function CmdLine:argument(key, help, type_)
   if type(key) ~= 'string' then error('torch.CmdLine:argument: the key should be a string', 2) end
   local a = { key = key, help = help, type = type_ }
   self.arguments[#self.arguments + 1] = a
   self.helplines[#self.helplines + 1] = a
end

function CmdLine:option(key, default, help, type_)
   if type(key) ~= 'string' then error('torch.CmdLine:option: the key should be a string', 2) end
   if default == nil then error('option ' .. key .. ' has no default value', 2) end
   type_ = type_ or type(default)
   if type(default) ~= type_ then error('option ' .. key .. ' has wrong default type value', 2) end
   local o = { key = key, default = default, help = help, type = type_ }
   self.options[key] = o
   self.helplines[#self.helplines + 1] = o
end

function CmdLine:text(txt)
   txt = txt or ''
   if type(txt) ~= 'string' then error('torch.CmdLine:text: expected a string, got ' .. type(txt), 2) end
   self.helplines[#self.helplines + 1] = txt
end

-- The options' defaults, keyed without their dashes.
function CmdLine:default()
   local params = {}
   for key, o in pairs(self.options) do params[strip(key)] = o.default end
   return params
end

-- Reads the option at arg[i]; returns how many words it used.
function CmdLine:__readOption__(params, arg, i)
   local key = arg[i]
   local o = self.options[key]
   if not o then self:error('unknown option ' .. key) end
   if o.type == 'boolean' then
      params[strip(key)] = not o.default
      return 1
   end
   local value = arg[i + 1]
   if not value then self:error('missing argument for option ' .. key) end
   if o.type == 'number' then
      value = tonumber(value)
   elseif o.type ~= nil and o.type ~= 'string' then
      self:error('unknown required option type ' .. o.type)
   end
   if not value then self:error('invalid type for option ' .. key .. ' (should be ' .. o.type .. ')') end
   params[strip(key)] = value
   return 2
end

function CmdLine:__readArgument__(params, arg, i, n)
   local value = arg[i]
   local a = self.arguments[n]
   if n > #self.arguments then self:error('invalid argument: ' .. value) end
   if a.type and type(value) ~= a.type then
      self:error('invalid argument type for argument ' .. a.key .. ' (should be ' .. a.type .. ')')
   end
   params[strip(a.key)] = value
   return 1
end

function CmdLine:parse(arg)
   arg = arg or {}
   local params = self:default()
   local i, n = 1, 0
   while i <= #arg do
      local w = arg[i]
      if w == '-help' or w == '-h' or w == '--help' then
         self:help(arg)
         os.exit(0)
      end
      if self.options[w] then
         i = i + self:__readOption__(params, arg, i)
      else
         n = n + 1
         i = i + self:__readArgument__(params, arg, i, n)
      end
   end
   if n ~= #self.arguments then self:error('not enough arguments') end
   return params
end

-- prefix .. sep .. arguments (key=value, in declaration order) and the
-- options that differ from their defaults (sorted); ignore[k] = true skips
-- k, ignore[k] = false keeps k even at its default.
function CmdLine:string(prefix, params, ignore)
   prefix = prefix or ''
   ignore = ignore or {}
   local arguments, options = {}, {}
   for k, v in pairs(params) do
      local o = self.options['-' .. k]
      if ignore[k] then
         print('-- ignore option ' .. k)
      elseif o then
         if v ~= o.default or ignore[k] == false then
            if type(v) == 'boolean' then v = v and 't' or 'f' end
            options[#options + 1] = k .. self.keyseparator .. tostring(v)
            print(k, v, o.default)
         end
      else
         local pos
         for i, a in ipairs(self.arguments) do
            if strip(a.key) == k then pos = i end
         end
         if pos then
            arguments[pos] = k .. self.keyseparator .. tostring(v)
         else
            print('WARNING: unknown option/argument: ' .. k .. ' IGNORING for DIRECTORY NAME')
         end
      end
   end
   table.sort(options)
   local parts = {}
   for i = 1, #self.arguments do if arguments[i] then parts[#parts + 1] = arguments[i] end end
   for _, o in ipairs(options) do parts[#parts + 1] = o end
   local str = table.concat(parts, self.argseparator)
   if str == '' then return prefix end
   return prefix .. self.argseparator .. str
end

-- From now on print() also writes its line to file (with the date when
-- addTime was called; not on the terminal after silent()). Logs the
-- start time and params.
function CmdLine:log(file, params)
   local f, err = io.open(file, 'w')
   if not f then error('torch.CmdLine:log: cannot open ' .. tostring(file) .. ': ' .. tostring(err), 2) end
   local oprint = print
   local cmd = self
   function print(...)
      local n = select('#', ...)
      if not cmd.silentio then oprint(...) end
      local line = {}
      if cmd.dateformat then line[#line + 1] = os.date(cmd.dateformat) end
      for i = 1, n do line[#line + 1] = tostring((select(i, ...))) end
      line[#line + 1] = '\n'
      f:write(table.concat(line, ' '))
      f:flush()
   end
   print('[program started on ' .. os.date() .. ']')
   print('[command line arguments]')
   for k, v in pairs(params or {}) do print(k, v) end
   print('[----------------------]')
end

function CmdLine:help(arg)
   io.write('Usage: ')
   if arg then io.write(tostring(arg[0]) .. ' ') end
   io.write('[options]')
   for _, a in ipairs(self.arguments) do io.write(' <' .. strip(a.key) .. '>') end
   io.write('\n')
   local width = 0
   for _, h in ipairs(self.helplines) do
      if type(h) == 'table' then
         local w = h.default ~= nil and #h.key or #strip(h.key) + 2
         if w > width then width = w end
      end
   end
   for _, h in ipairs(self.helplines) do
      if type(h) == 'table' then
         io.write('  ')
         if h.default ~= nil then
            io.write(pad(h.key, width))
            if h.help then io.write(' ' .. h.help) end
            io.write(' [' .. tostring(h.default) .. ']')
         else
            io.write(pad('<' .. strip(h.key) .. '>', width))
            if h.help then io.write(' ' .. h.help) end
         end
      else
         io.write(h)
      end
      io.write('\n')
   end
end

return CmdLine
