-- Torch7's small torch.* utilities that the other files do not define:
-- isequal, get/setenv, setmetatable, getconstructortable, tic/toc,
-- version(obj), data/cdata, packageLuaPath, the functional forms of a few
-- tensor methods (torch.fill(t, v), torch.permute(t, ...)), and the no-ops
-- Torch7 kept for its threads (updateerrorhandlers, updatethreadlocals).
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, raise = core.C, core.raise

-- true when both are the same table or torch object (by address)
function torch.isequal(a, b)
   local ta, tb = type(a), type(b)
   if ta == 'table' and tb == 'table' then return rawequal(a, b) end
   if ta == 'cdata' and tb == 'cdata' and torch.typename(a) and torch.typename(b) then
      return torch.typename(a) == torch.typename(b) and torch.pointer(a) == torch.pointer(b)
   end
   return false
end

-- a function's environment (Torch7 also kept one per userdata: a table
-- per object here, made on first use)
local envs = setmetatable({}, { __mode = 'k' })
function torch.getenv(x)
   if type(x) == 'function' then return getfenv(x) end
   if x == nil or type(x) == 'number' or type(x) == 'string' or type(x) == 'boolean' then
      raise('torch.getenv: expected a function or an object, got ' .. type(x))
   end
   local e = envs[x]
   if not e then e = {} envs[x] = e end
   return e
end
function torch.setenv(x, env)
   if type(env) ~= 'table' then raise('torch.setenv: expected a table as the environment, got ' .. type(env)) end
   if type(x) == 'function' then setfenv(x, env) return end
   if x == nil or type(x) == 'number' or type(x) == 'string' or type(x) == 'boolean' then
      raise('torch.setenv: expected a function or an object, got ' .. type(x))
   end
   envs[x] = env
end

-- torch.setmetatable(table, classname): makes table an object of the class
function torch.setmetatable(obj, name)
   if type(obj) ~= 'table' then raise('torch.setmetatable: expected a table, got ' .. type(obj)) end
   local mt = torch.getmetatable(name)
   if not mt then raise('torch.setmetatable: unknown typename ' .. tostring(name)) end
   return setmetatable(obj, mt)
end

-- the constructor table of a class by name (torch.DoubleTensor, nn.Linear)
function torch.getconstructortable(name)
   local mt = torch.getmetatable(name)
   if not mt then return nil end
   return rawget(mt, '__constructor')
end

-- tic() -> seconds since the epoch; toc(t) -> seconds since t
function torch.tic()
   local s = ffi.new('double[3]')
   C.nl_timer_now(s, s + 1, s + 2)
   return s[0]
end
function torch.toc(t0)
   if type(t0) ~= 'number' then raise('torch.toc: expected the number torch.tic() returned, got ' .. type(t0)) end
   return torch.tic() - t0
end

-- version(obj): the class's __version (1 unless the class sets one);
-- without an argument, nnlua's version
function torch.version(obj)
   if obj == nil then return 'nnlua 0.1' end
   local name = torch.typename(obj)
   if not name then return end
   local mt = torch.getmetatable(name)
   return (mt and mt.__version) or 1
end

-- data(t [, asnumber]): a pointer to the first element, or its address
function torch.data(t, asnumber)
   if not (torch.isTensor(t) or torch.isStorage(t)) then
      raise('torch.data: expected a tensor or a storage, got ' .. torch.type(t))
   end
   local p = t:data()
   if asnumber then return tonumber(ffi.cast('intptr_t', p)) end
   return p
end
function torch.cdata(x, asnumber)
   if not (torch.isTensor(x) or torch.isStorage(x)) then
      raise('torch.cdata: expected a tensor or a storage, got ' .. torch.type(x))
   end
   local p = torch.isTensor(x) and ffi.cast('void *', x) or ffi.cast('void *', x._p)
   if asnumber then return tonumber(ffi.cast('intptr_t', p)) end
   return p
end

-- the folder a package's Lua files are in
function torch.packageLuaPath(name)
   if type(name) ~= 'string' then raise('torch.packageLuaPath: expected a package name, got ' .. type(name)) end
   local f = package.searchpath(name, package.path)
   if not f then return nil end
   return (f:gsub('/init%.lua$', ''):gsub('%.lua$', ''))
end

function torch.updateerrorhandlers() end
function torch.updatethreadlocals() end

-- functional forms: torch.fill(t, v) is t:fill(v), and so on
for _, name in ipairs { 'fill', 'zero', 'permute', 'viewAs', 'expandAs', 'totable' } do
   if not torch[name] then
      torch[name] = function(t, ...)
         if not torch.isTensor(t) then
            raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(t)))
         end
         return t[name](t, ...)
      end
   end
end

return torch
