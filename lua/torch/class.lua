-- torch.class and the type utilities of Torch7: classes are metatables
-- registered by name; objects are tables whose metatable is their class.
local torch = require 'torch'

local registry = {}        -- typename -> class metatable
torch._classes = registry

-- Metamethods looked up on the object's class chain, so a subclass gets
-- its parent's operators and printing.
local function forward(name)
   return function(self, ...)
      local f = self[name]
      if f then return f(self, ...) end
      error(string.format('%s: operator %s is not defined', torch.typename(self) or '?', name), 2)
   end
end

local function tostring_mm(self)
   local f = self.__tostring__
   if f then return f(self) end
   return torch.typename(self) or 'object'
end

-- Operators forward to the class's __add__, __lt__, ... (Torch7's luaT
-- names). One function per operator for every class, so that comparisons
-- between objects of two classes reach __lt__ as in Torch7.
local forwarders = {}
for _, op in ipairs { 'add', 'sub', 'mul', 'div', 'mod', 'pow', 'unm', 'concat', 'call', 'lt', 'le' } do
   local key = '__' .. op .. '__'
   local function has(x) return type(x) == 'table' and x[key] ~= nil end
   forwarders[op] = function(a, ...)
      local b = ...
      local obj = (has(a) and a) or (has(b) and b) or nil
      if not obj then
         error(string.format('%s: operator %s is not defined', torch.typename(a) or torch.typename(b) or '?', op), 2)
      end
      return obj[key](a, ...)
   end
end

-- torch.class(name [, parentName] [, module]) -> class, parent
function torch.class(name, parentName, module)
   if type(name) ~= 'string' then error('torch.class: class name must be a string', 2) end
   if type(parentName) == 'table' then module, parentName = parentName, nil end
   local mt = registry[name]
   local parent
   if parentName then
      parent = registry[parentName]
      if not parent then error(string.format('torch.class: parent class <%s> of <%s> does not exist', parentName, name), 2) end
   end
   if not mt then
      mt = {}
      registry[name] = mt
   end
   mt.__typename = name
   mt.__index = mt
   mt.__tostring = tostring_mm
   mt.__len = function(self) local f = self.__len__ if f then return f(self) end return rawlen and rawlen(self) or 0 end
   for op, f in pairs(forwarders) do mt['__' .. op] = f end
   if parent then setmetatable(mt, { __index = parent }) end

   -- the constructor: Module(...) creates and runs __init
   local ctor = setmetatable({}, {
      __index = mt,
      __newindex = mt,
      __call = function(_, ...)
         local obj = setmetatable({}, mt)
         local init = obj.__init
         if init then init(obj, ...) end
         return obj
      end,
      __tostring = function() return name end,
   })
   local pkg, short = name:match('^(.-)%.?([^.]+)$')
   local target = module
   if not target then
      if pkg == '' then target = _G
      else
         target = _G
         for part in pkg:gmatch('[^.]+') do
            target[part] = target[part] or {}
            target = target[part]
         end
      end
   end
   target[short] = ctor
   mt.__constructor = ctor
   return mt, parent
end
torch.newmetatable = function(name, parentName) return torch.class(name, parentName) end

function torch.getmetatable(name)
   return registry[name]
end

-- An empty object of a class, without running __init (deserialisation).
function torch.factory(name)
   local mt = registry[name]
   if not mt then return nil end
   return function() return setmetatable({}, mt) end
end

function torch.typename(obj)
   local t = type(obj)
   if t == 'cdata' then return torch._cdata_typename(obj) end
   -- nothing (not nil) for a value without a class, as Torch7
   if t ~= 'table' and t ~= 'userdata' then return end
   local mt = getmetatable(obj)
   if type(mt) == 'table' then
      local n = rawget(mt, '__typename')
      if n ~= nil then return n end
   end
end

function torch.type(obj)
   return torch.typename(obj) or type(obj)
end

-- Torch7's rule: a Lua pattern that matches the name; a spec without
-- pattern characters must match all of it ('torch.Long' is not a type).
-- (A top-level function: a closure made per call would stop LuaJIT from
-- compiling the loops that call isTypeOf.)
local function type_matches(n, typeSpec)
   local m = n:match(typeSpec)
   return m ~= nil and (m ~= typeSpec or m == n)
end

-- isTypeOf(obj, nameOrClass): walks the class chain; a string is matched as
-- a Lua pattern against the type names, as Torch7 does.
function torch.isTypeOf(obj, typeSpec)
   local name = torch.typename(obj)
   if not name then return false end
   if type(typeSpec) == 'table' then
      -- a class (torch.DoubleTensor, nn.Linear) or its metatable
      local mt = getmetatable(typeSpec)
      typeSpec = rawget(typeSpec, '__typename') or (mt and type(mt.__index) == 'table' and rawget(mt.__index, '__typename'))
         or torch.typename(typeSpec)
   end
   if type(typeSpec) ~= 'string' then return false end
   local mt = registry[name]
   if not mt then return type_matches(name, typeSpec) end
   while mt do
      local n = rawget(mt, '__typename')
      if n and type_matches(n, typeSpec) then return true end
      local parent = getmetatable(mt)
      mt = parent and rawget(parent, '__index')
      if type(mt) ~= 'table' then break end
   end
   return false
end

function torch.pointer(obj)
   local ffi = require 'ffi'
   -- a storage is named by its C storage (the same for every wrapper of it)
   if torch.isStorage and torch.isStorage(obj) and obj._p ~= nil then
      return tonumber(ffi.cast('intptr_t', ffi.cast('void *', obj._p)))
   end
   if type(obj) == 'cdata' then return tonumber(ffi.cast('intptr_t', ffi.cast('void *', obj))) end
   local s = tostring(obj):match('0x%x+')
   return s and tonumber(s) or 0
end

function torch.include(pkg, file)
   dofile(package.searchpath(pkg .. '.' .. file:gsub('%.lua$', ''), package.path))
end

return torch
