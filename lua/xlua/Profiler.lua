-- xlua.Profiler: named real/cpu timers. p = xlua.Profiler(['off' [, verbose]]);
-- p:start(name [, 'fps']); p:lap(name) -> real, cpu seconds; p:print(name),
-- p:printAll() ('$ real | cpu: %f | %f <name>' lines, Torch7's format).
local xlua = require 'xlua'
local sys = require 'sys'

local Profiler = {}

function xlua.Profiler(mode, verbose)
   local self = { events = {}, list = {}, off = mode == 'off', verbose = verbose or false }
   for k, v in pairs(Profiler) do self[k] = v end
   return self
end

local function event(self, fn, name)
   local e = self.events[name]
   if not e then error(string.format("xlua.Profiler:%s: no event '%s' (call start('%s') first)", fn, tostring(name), tostring(name)), 3) end
   return e
end

function Profiler:start(name, fps)
   local e = self.events[name]
   if e then
      e.cpu, e.real = os.clock(), sys.clock()
   else
      e = { cpu = os.clock(), real = sys.clock(), name = name }
      self.events[name] = e
      self.list[#self.list + 1] = e
   end
   if fps == 'fps' then e.fps = true end
   if self.verbose then io.write('<' .. name .. '>') io.flush() end
end

function Profiler:setColor(name, color)
   event(self, 'setColor', name).color = color
end

function Profiler:cpu(name, divider)
   local e = event(self, 'cpu', name)
   local d = os.clock() - e.cpu
   if divider then d = d / divider end
   e.cpud = d
   return d
end

function Profiler:real(name, divider)
   local e = event(self, 'real', name)
   local d = sys.clock() - e.real
   if divider then d = d / divider end
   e.reald = d
   return d
end

function Profiler:lap(name, divider)
   local r = self:real(name, divider)
   local c = self:cpu(name, divider)
   if self.verbose then io.write('\r') self:print(name) end
   return r, c
end

function Profiler:format(name)
   local e = event(self, 'format', name)
   return string.format('$ real | cpu: %f | %f <%s>', e.reald or -1, e.cpud or -1, name)
end

function Profiler:print(name)
   if not self.off then print(self:format(name)) end
end

function Profiler:formatAll()
   local s = { '$ profiler report:' }
   for _, e in ipairs(self.list) do
      if e.fps then
         s[#s + 1] = string.format('$ real %f | cpu %f <%s> = %f fps', e.reald or -1, e.cpud or -1, e.name, 1 / (e.reald or -1))
      else
         s[#s + 1] = string.format('$ real %f | cpu %f <%s>', e.reald or -1, e.cpud or -1, e.name)
      end
   end
   return table.concat(s, '\n')
end

function Profiler:printAll()
   if not self.off then print(self:formatAll()) end
end

function Profiler:displayAll()
   error('xlua.Profiler:displayAll: needs a Qt painter, which nnlua does not provide; use printAll()', 2)
end

return xlua.Profiler
