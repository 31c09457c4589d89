-- nn.utils: helpers the modules share (Torch7's nn/utils.lua): recursive
-- operations over tensors and tables of tensors, type conversion that
-- keeps shared storages shared, deep copies for clone(), and the error
-- helpers that name a module in its messages.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local core = torch._core
local raise = core.raise

local utils = {}
nn.utils = utils

-- Torch7 code written for Lua 5.2 calls table.unpack
table.unpack = table.unpack or unpack

-- tableSize(t): the number of entries of t, counting every key
function utils.tableSize(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

-- The identity of a tensor's C storage (nil for an empty tensor): the key
-- that tells two views of one block apart from two copies.
local function storage_key(t)
   if t._storage == nil then return nil end
   return tonumber(ffi.cast('intptr_t', t._storage))
end
utils.storageKey = storage_key

-- recursiveType(param, type [, tensorCache]): converts every tensor in
-- param (tensor, module, criterion, table) to `type`. Tensors that share a
-- storage get one converted storage, so shared weights stay shared.
function utils.recursiveType(param, typename, tensorCache)
   tensorCache = tensorCache or {}
   if torch.type(param) == 'table' then
      for k, v in pairs(param) do
         param[k] = utils.recursiveType(v, typename, tensorCache)
      end
   elseif torch.isTypeOf(param, 'nn.Module') or torch.isTypeOf(param, 'nn.Criterion') then
      param:type(typename, tensorCache)
   elseif torch.isTensor(param) then
      if torch.typename(param) ~= typename then
         local cached = tensorCache[param]
         if cached then return cached end
         local skey = storage_key(param)
         local newparam
         if skey == nil then
            newparam = param:type(typename)
         else
            local ckey = 'storage:' .. skey
            local whole = tensorCache[ckey]
            if not whole then
               -- one converted copy of the whole storage, then a view of it
               local full = param.new():set(param:storage())
               whole = full:type(typename)
               tensorCache[ckey] = whole
            end
            newparam = whole.new():set(whole:storage(), param:storageOffset(), param:size(), param:stride())
         end
         tensorCache[param] = newparam
         param = newparam
      end
   end
   return param
end

-- recursiveResizeAs(t1, t2): t1 shaped like t2 (tensors or tables of them).
function utils.recursiveResizeAs(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {}
      for key, _ in pairs(t2) do
         t1[key], t2[key] = utils.recursiveResizeAs(t1[key], t2[key])
      end
      for key, _ in pairs(t1) do
         if not t2[key] then t1[key] = nil end
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resizeAs(t2)
   else
      raise('nn.utils.recursiveResizeAs: expecting nested tensors or tables, got ' .. torch.type(t1) .. ' and ' .. torch.type(t2))
   end
   return t1, t2
end

function utils.recursiveFill(t2, val)
   if torch.type(t2) == 'table' then
      for key, _ in pairs(t2) do t2[key] = utils.recursiveFill(t2[key], val) end
   elseif torch.isTensor(t2) then
      t2:fill(val)
   else
      raise('nn.utils.recursiveFill: expecting tensor or table thereof, got ' .. torch.type(t2))
   end
   return t2
end

function utils.recursiveAdd(t1, val, t2)
   if not t2 then
      assert(val, 'expecting at least two arguments')
      t2, val = val, 1
   end
   val = val or 1
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {}
      for key, _ in pairs(t2) do
         t1[key], t2[key] = utils.recursiveAdd(t1[key], val, t2[key])
      end
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      t1:add(val, t2)
   else
      raise('nn.utils.recursiveAdd: expecting nested tensors or tables, got ' .. torch.type(t1) .. ' and ' .. torch.type(t2))
   end
   return t1, t2
end

function utils.recursiveCopy(t1, t2, async)
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {}
      for key, _ in pairs(t2) do
         t1[key], t2[key] = utils.recursiveCopy(t1[key], t2[key], async)
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resize(t2:size()):copy(t2)
   else
      raise('nn.utils.recursiveCopy: expecting nested tensors or tables, got ' .. torch.type(t1) .. ' and ' .. torch.type(t2))
   end
   return t1, t2
end

-- addSingletonDimension([view,] t, dim): t viewed with a size-1 dimension
-- inserted before dim.
function utils.addSingletonDimension(...)
   local view, t, dim
   if select('#', ...) < 3 then
      t, dim = select(1, ...)
   else
      view, t, dim = select(1, ...)
      assert(torch.isTensor(view), 'output tensor expected, got ' .. type(view))
   end
   assert(torch.isTensor(t), 'input tensor expected')
   dim = dim or 1
   assert(dim > 0 and dim <= (t:dim() + 1), 'invalid dimension: ' .. dim .. '. Tensor is of ' .. t:dim() .. ' dimensions.')
   view = view or t.new()
   local size, stride = {}, {}
   for d = 1, dim - 1 do size[d], stride[d] = t:size(d), t:stride(d) end
   size[dim] = 1
   stride[dim] = (dim <= t:dim()) and t:size(dim) * t:stride(dim) or 1
   for d = dim, t:dim() do size[d + 1], stride[d + 1] = t:size(d), t:stride(d) end
   view:set(t:storage(), t:storageOffset(), size, stride)
   return view
end

-- contiguousView(output, input, ...): a view of input (copied into output
-- when input is not contiguous).
function utils.contiguousView(output, input, ...)
   output = output or input.new()
   if input:isContiguous() then
      output:view(input, ...)
   else
      output:resize(input:size())
      output:copy(input)
      output:view(output, ...)
   end
   return output
end

-- clear(self, 'f1', 'f2', ...) or clear(self, {'f1', ...}): empties fields.
function utils.clear(self, ...)
   local arg = { ... }
   if #arg > 0 and type(arg[1]) == 'table' then arg = arg[1] end
   local function clear(f)
      if self[f] then
         if torch.isTensor(self[f]) then self[f]:set()
         elseif type(self[f]) == 'table' then self[f] = {}
         else self[f] = nil end
      end
   end
   for _, v in ipairs(arg) do clear(v) end
   return self
end

-- deepCopy(obj): what Torch7's clone() gets by serialising to memory and
-- reading back: tables (with their metatables) and tensors are copied;
-- tensors that shared a storage share the new one; repeated references
-- stay one object.
function utils.deepCopy(obj, cache)
   cache = cache or {}
   local ty = type(obj)
   if ty == 'table' then
      if cache[obj] then return cache[obj] end
      local r = {}
      cache[obj] = r
      for k, v in pairs(obj) do
         r[utils.deepCopy(k, cache)] = utils.deepCopy(v, cache)
      end
      return setmetatable(r, getmetatable(obj))
   elseif torch.isTensor(obj) then
      if cache[obj] then return cache[obj] end
      local r
      local skey = storage_key(obj)
      if skey == nil then
         r = obj.new()
      else
         local ckey = 'storage:' .. skey
         local whole = cache[ckey]
         if not whole then
            whole = obj.new():set(obj:storage()):clone()
            cache[ckey] = whole
         end
         r = whole.new():set(whole:storage(), obj:storageOffset(), obj:size(), obj:stride())
      end
      cache[obj] = r
      return r
   elseif torch.isStorage(obj) then
      if cache[obj] then return cache[obj] end
      local r = torch.getmetatable(obj:type()).__constructor(obj:size()):copy(obj)
      cache[obj] = r
      return r
   end
   return obj
end

-- The one-line name of a module for messages: Linear's tostring is
-- 'nn.Linear(784 -> 1000)'; containers print several lines, so their
-- type name is used.
-- The sizes of a constructor taking (d1, d2, ...) or one LongStorage, as
-- a LongStorage (nn.CAdd, nn.CMul).
function utils.sizeArgs(...)
   local arg = { ... }
   local size = torch.LongStorage()
   local n = select('#', ...)
   if n == 1 and torch.isStorage(arg[1]) then
      size:resize(#arg[1]):copy(arg[1])
   else
      size:resize(n)
      for i = 1, n do size[i] = arg[i] end
   end
   return size
end

-- Errors raised inside a module's own code keep their line -------------------
--
-- A failure inside a user's module (an nn.Module subclass in the user's
-- file) is reported at that module's line, with the module and its place
-- in the containers around it:
--   deep5.lua:4: in nn.Bad (module 2 of nn.Sequential): attempt to index field 'foo'
-- and the traceback printed by nnlua is the one taken where it failed. A
-- failure of nnlua's own modules keeps the caller's line and the container
-- path ("nn.Sequential (2): nn.Linear(4 -> 2): input has 3 elements...").
-- Module:forward/backward and Container:rethrowErrors run modules under
-- utils.errorHandler, then call utils.annotateError on a failure.

local libroot = core.libroot
local function is_lib(src)
   return libroot ~= nil and src:sub(2, #libroot + 1) == libroot
end

-- the functions that catch module errors (where the handler's walk stops)
local stops = {}
utils._errorStops = stops

local pending = nil    -- a failure seen by the handler inside user code
local inner = nil      -- the last annotated message and its traceback

-- xpcall handler: notes whether the error was raised in user code below
-- the catching function, with the traceback at that point
function utils.errorHandler(err)
   if type(err) ~= 'string' then return err end
   if inner and inner.msg == err then return err end
   local level, user = 2, nil
   while true do
      local info = debug.getinfo(level, 'Sfl')
      if not info or stops[info.func] then break end
      if not user and info.what ~= 'C' and not is_lib(info.source) and info.currentline > 0 then user = info end
      level = level + 1
   end
   if user then
      pending = { msg = err, where = user.short_src .. ':' .. user.currentline,
         tb = debug.traceback('', 2):gsub('^\n', '') }
   else
      pending = nil
   end
   return err
end

-- After a caught failure of module (module number index of container, or
-- a module run directly when container is nil): the message to raise with
-- error(msg, 0), or nil when the failure was not in user code (the caller
-- then reports it as before).
function utils.annotateError(err, module, index, container)
   if type(err) ~= 'string' then return nil end
   local place = container and string.format('module %d of %s', index, torch.type(container)) or nil
   if inner and inner.msg == err then
      -- annotated below: add this container to the path
      if place then
         local head, path, rest = err:match('^(.-: in [^ ]+ %()(.-)(%): .*)$')
         if head then
            err = head .. path .. ', in ' .. place .. rest
         else
            local h2, r2 = err:match('^(.-: in [^ :]+)(: .*)$')
            if h2 then err = h2 .. ' (' .. place .. ')' .. r2 end
         end
         inner.msg = err
      end
      return err
   end
   if not (pending and pending.msg == err) then return nil end
   local loc, rest = err:match('^([^\n]-:%d+): (.*)$')
   if not loc then loc, rest = pending.where, err end
   local msg = string.format('%s: in %s%s: %s', loc, torch.type(module), place and (' (' .. place .. ')') or '', rest)
   inner = { msg = msg, tb = pending.tb }
   pending = nil
   return msg
end

-- The traceback nnlua prints for a message annotated above: the one taken
-- where the module failed (the host's error handler asks for it).
function utils.failureTraceback(msg)
   if inner and inner.msg == msg then return msg .. '\n' .. inner.tb end
   return nil
end
debug.getregistry()['nnlua.traceback'] = function(msg)
   return utils.failureTraceback(msg)
end

function utils.moduleName(m)
   if m.modules then return torch.type(m) end
   local ok, s = pcall(tostring, m)
   if not ok or type(s) ~= 'string' then return torch.type(m) end
   -- first line, without the trailing blank some Torch7 formats end with;
   -- a format without the class name (Torch7's 'CReLU()') gives the class
   s = s:match('^[^\n]*'):gsub('%s+$', '')
   if s:sub(1, #torch.type(m)) ~= torch.type(m) then return torch.type(m) end
   return s
end

-- Raises '<module name>: msg' at the user's line.
function utils.moduleError(m, msg)
   raise(utils.moduleName(m) .. ': ' .. msg)
end

-- checkInputType(m, input [, ref]): a tensor input of another type than
-- the module's parameters (ref, default m.weight) is reported with the fix.
function utils.checkInputType(m, input, ref)
   ref = ref or m.weight
   if not torch.isTensor(input) then
      utils.moduleError(m, 'input should be a tensor, got ' .. torch.type(input))
   end
   if ref and (input._dtype ~= ref._dtype or input._device ~= ref._device) then
      local it, mt = torch.typename(input), torch.typename(ref)
      -- the fix: convert the model to the input's type, or the input to the model's
      local ishort = (it:match('^torch%.(%a+)Tensor$') or 'double'):lower()
      local mshort = (mt:match('^torch%.(%a+)Tensor$') or 'double'):lower()
      local fix = string.format('call model:%s() or input:%s()', ishort, mshort)
      utils.moduleError(m, string.format('input is %s but the module is %s; %s', it, mt, fix))
   end
end

-- Sizes as 'AxBxC' for messages.
utils.shapeStr = core.shape_str

-- param (CAdd's bias, CMul's weight) expanded to input's sizes, when it has
-- input's rank and each size is input's or 1 (Torch7's broadcast)
function utils._expandParam(m, param, input)
   for i = 1, input:dim() do
      if param:size(i) ~= input:size(i) and param:size(i) ~= 1 then
         utils.moduleError(m, string.format('parameter of size %s cannot be broadcast to an input of size %s',
            utils.shapeStr(param), utils.shapeStr(input)))
      end
   end
   return param:expandAs(input)
end

-- g summed along the dimensions where param has size 1 (the gradient of
-- _expandParam's broadcast), in param's sizes
function utils._sumToParam(param, g)
   for i = 1, param:dim() do
      if param:size(i) ~= g:size(i) then g = g:sum(i) end
   end
   return g
end

return utils
