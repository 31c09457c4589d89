-- nn.Module: the protocol every layer follows (Torch7 semantics).
-- forward = updateOutput; backward = updateGradInput + accGradParameters
-- (with `scale`); parameters() lists weights and their gradients, and
-- getParameters() gathers them into one flat storage for optim.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local core = torch._core
local raise = core.raise

local Module = torch.class('nn.Module')

function Module:__init()
   self.gradInput = torch.Tensor()
   self.output = torch.Tensor()
   self._type = self.output:type()
end

function Module:parameters()
   if self.weight and self.bias then
      return { self.weight, self.bias }, { self.gradWeight, self.gradBias }
   elseif self.weight then
      return { self.weight }, { self.gradWeight }
   elseif self.bias then
      return { self.bias }, { self.gradBias }
   end
end

function Module:updateOutput(input)
   return self.output
end

-- An error from inside a module that does not already name a module (a
-- tensor function's message, say) is reported as '<module>: <message>'
-- at the user's line.
local function named_result(self, ok, ...)
   if ok then return ... end
   local msg = ...
   if type(msg) ~= 'string' then error(msg, 0) end
   local annotated = nn.utils.annotateError(msg, self)
   if annotated then error(annotated, 0) end
   local src, rest = msg:match('^(.-):%d+: (.*)$')
   local body = (src and not (core.libroot and src:sub(1, #core.libroot) == core.libroot)) and rest or msg
   if not body:match('^nn%.') then body = nn.utils.moduleName(self) .. ': ' .. body end
   raise(body)
end
Module._namedResult = named_result

local function do_backward(self, input, gradOutput, scale)
   self:updateGradInput(input, gradOutput)
   self:accGradParameters(input, gradOutput, scale or 1)
   return self.gradInput
end

local handler = nn.utils.errorHandler

function Module:forward(input)
   return named_result(self, xpcall(self.updateOutput, handler, self, input))
end

function Module:backward(input, gradOutput, scale)
   return named_result(self, xpcall(do_backward, handler, self, input, gradOutput, scale))
end
nn.utils._errorStops[Module.forward] = true
nn.utils._errorStops[Module.backward] = true

function Module:backwardUpdate(input, gradOutput, lr)
   self:updateGradInput(input, gradOutput)
   self:accUpdateGradParameters(input, gradOutput, lr)
   return self.gradInput
end

function Module:updateGradInput(input, gradOutput)
   return self.gradInput
end

function Module:accGradParameters(input, gradOutput, scale)
end

function Module:accUpdateGradParameters(input, gradOutput, lr)
   if self.shared then
      self:sharedAccUpdateGradParameters(input, gradOutput, lr)
   else
      self:defaultAccUpdateGradParameters(input, gradOutput, lr)
   end
end

-- Accumulates straight into the weights: the gradient fields point at the
-- weights while accGradParameters runs with scale -lr.
function Module:defaultAccUpdateGradParameters(input, gradOutput, lr)
   local gradWeight, gradBias = self.gradWeight, self.gradBias
   self.gradWeight, self.gradBias = self.weight, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradBias = gradWeight, gradBias
end

function Module:sharedAccUpdateGradParameters(input, gradOutput, lr)
   if self:parameters() then
      self:zeroGradParameters()
      self:accGradParameters(input, gradOutput, 1)
      self:updateParameters(lr)
   end
end

function Module:zeroGradParameters()
   local _, gradParams = self:parameters()
   if gradParams then
      for i = 1, #gradParams do gradParams[i]:zero() end
   end
end

function Module:updateParameters(learningRate)
   local params, gradParams = self:parameters()
   if params then
      for i = 1, #params do params[i]:add(-learningRate, gradParams[i]) end
   end
end

function Module:training()
   self.train = true
end

function Module:evaluate()
   self.train = false
end

-- share(m, 'weight', 'bias', ...): the named tensors become views of m's.
function Module:share(mlp, ...)
   for _, v in ipairs { ... } do
      if self[v] ~= nil then
         if mlp[v] == nil then
            raise(string.format('%s:share: the other module (%s) has no field %s', torch.type(self), torch.type(mlp), v))
         end
         self[v]:set(mlp[v])
         self.shared = true
         mlp.shared = true
      end
   end
   return self
end

-- clone(...): a deep copy; the named fields then share this module's.
function Module:clone(...)
   local c = nn.utils.deepCopy(self)
   if select('#', ...) > 0 then c:share(self, ...) end
   return c
end

function Module:type(typename, tensorCache)
   if not typename then return self._type end
   if typename:match('Cuda') and not package.loaded.cutorch then
      raise(string.format("%s:type: %s needs require 'cunn' (CUDA modules are not loaded)", torch.type(self), typename))
   end
   tensorCache = tensorCache or {}
   for key, param in pairs(self) do
      self[key] = nn.utils.recursiveType(param, typename, tensorCache)
   end
   self._type = typename
   return self
end

function Module:float(...) return self:type('torch.FloatTensor', ...) end
function Module:double(...) return self:type('torch.DoubleTensor', ...) end
function Module:cuda(...)
   if not package.loaded.cunn then
      raise(string.format("%s:cuda: CUDA modules need require 'cunn' first", torch.type(self)))
   end
   return self:type('torch.CudaTensor', ...)
end

function Module:reset(stdv)
end

function Module:__call__(input, gradOutput)
   self:forward(input)
   if gradOutput then
      self:backward(input, gradOutput)
      return self.output, self.gradInput
   end
   return self.output
end

function Module:__tostring__()
   return torch.type(self)
end

-- Flattening ------------------------------------------------------------------

-- Flat tensors returned by getParameters, by C storage address (weak: once
-- the caller drops the flat tensor nothing can be broken by re-flattening).
local flat_registry = setmetatable({}, { __mode = 'v' })
local storage_key = nn.utils.storageKey

-- Walks every element offset (0-based, in the storage) of a tensor view.
local function each_offset(t, f)
   local nd = t._ndim
   if nd == 0 then return end
   local size, stride = t._size, t._stride
   local function walk(d, off)
      local n, s = tonumber(size[d]), tonumber(stride[d])
      if d == nd - 1 then
         for i = 0, n - 1 do f(off + i * s) end
      else
         for i = 0, n - 1 do walk(d + 1, off + i * s) end
      end
   end
   walk(0, tonumber(t._offset))
end

-- True when the view covers one dense block of memory (in any dimension
-- order, ignoring stride-0 dimensions): such a view keeps its strides when
-- the block moves.
local function is_compact(t)
   local dims = {}
   for d = 0, t._ndim - 1 do
      if t._stride[d] ~= 0 and t._size[d] ~= 1 then
         dims[#dims + 1] = { tonumber(t._stride[d]), tonumber(t._size[d]) }
      end
   end
   table.sort(dims, function(a, b) return a[1] < b[1] end)
   local expect = 1
   for _, d in ipairs(dims) do
      if d[1] ~= expect then return false end
      expect = expect * d[2]
   end
   return true
end

-- flatten(tensors): one new storage holding every element the tensors use,
-- the tensors re-pointed into it (views of one storage stay views of one
-- region); returns a 1-D tensor over the whole storage.
function Module.flatten(parameters)
   if not parameters or #parameters == 0 then return torch.Tensor() end
   local first = parameters[1]
   for i = 2, #parameters do
      local p = parameters[i]
      if p._dtype ~= first._dtype or p._device ~= first._device then
         raise(string.format('getParameters: parameter %d is %s but parameter 1 is %s; convert the model with model:type() first',
            i, torch.typename(p), torch.typename(first)))
      end
   end

   -- unique storages in first-seen order
   local storages, order = {}, {}
   for i = 1, #parameters do
      local p = parameters[i]
      local key = storage_key(p)
      if key and not storages[key] then
         storages[key] = { tensor = p.new():set(p:storage()), size = p:storage():size() }
         order[#order + 1] = key
      end
   end
   if #order == 0 then return first.new() end

   -- elements used in each storage
   local nTotal, nUsed = 0, 0
   for _, key in ipairs(order) do
      local s = storages[key]
      s.base = nTotal
      nTotal = nTotal + s.size
   end
   local mask = ffi.new('uint8_t[?]', math.max(nTotal, 1))
   for i = 1, #parameters do
      local p = parameters[i]
      local key = storage_key(p)
      if key then
         local base = storages[key].base
         each_offset(p, function(o) mask[base + o] = 1 end)
      end
   end
   local newOffset = ffi.new('int64_t[?]', math.max(nTotal, 1))
   for i = 0, nTotal - 1 do
      newOffset[i] = nUsed
      nUsed = nUsed + mask[i]
   end

   -- Already flat (one storage, no holes): return that storage again, so
   -- the tensors an earlier getParameters() returned stay valid.
   if #order == 1 and nUsed == nTotal then
      local key = order[1]
      local flat = flat_registry[key]
      if not flat or flat._storage == nil or storage_key(flat) ~= key or flat:nElement() ~= nTotal then
         flat = storages[key].tensor
         flat_registry[key] = flat
      end
      return flat
   end
   -- The model changed since an earlier getParameters() (layers added,
   -- parameters re-pointed): flatten again into a new storage, as Torch7
   -- does. A flat tensor returned earlier keeps its values but no longer
   -- aliases the model; the new one does.
   if nUsed ~= nTotal then
      for i = 1, #parameters do
         if not is_compact(parameters[i]) then
            raise(string.format('getParameters: cannot gather parameter %d (size %s): it is a non-compact view of a larger storage',
               i, core.shape_str(parameters[i])))
         end
      end
   end

   local flat = first.new(nUsed):zero()
   local flatStorage = flat:storage()
   local views = {}
   for i = 1, #parameters do
      local p = parameters[i]
      local key = storage_key(p)
      if key then
         local off = newOffset[storages[key].base + tonumber(p._offset)]
         local v = p.new():set(flatStorage, tonumber(off) + 1, p:size(), p:stride())
         v:copy(p)
         views[i] = v
      end
   end
   for i = 1, #parameters do
      if views[i] then parameters[i]:set(views[i]) end
   end
   flat_registry[storage_key(flat)] = flat
   return flat
end

function Module:getParameters()
   local parameters, gradParameters = self:parameters()
   local p = Module.flatten(parameters)
   local g = Module.flatten(gradParameters)
   if p:nElement() ~= g:nElement() then
      raise(string.format('getParameters: %d parameters but %d gradients; when sharing parameters, share their gradients too '
         .. "(clone('weight', 'bias', 'gradWeight', 'gradBias'))", p:nElement(), g:nElement()))
   end
   if parameters then
      for i = 1, #parameters do
         if parameters[i]:storageOffset() ~= gradParameters[i]:storageOffset() then
            raise('getParameters: misaligned parameter at ' .. i .. ' (its gradient sits at another offset)')
         end
      end
   end
   return p, g
end

-- Walking the module tree -------------------------------------------------------

function Module:apply(callback)
   callback(self)
   if self.modules then
      for _, module in ipairs(self.modules) do module:apply(callback) end
   end
end

function Module:findModules(typename, container)
   container = container or self
   local nodes, containers = {}, {}
   if torch.typename(self) == typename then
      nodes[#nodes + 1] = self
      containers[#containers + 1] = container
   end
   if self.modules ~= nil and torch.type(self.modules) == 'table' then
      for i = 1, #self.modules do
         local cn, cc = self.modules[i]:findModules(typename, self)
         for j = 1, #cn do
            nodes[#nodes + 1] = cn[j]
            containers[#containers + 1] = cc[j]
         end
      end
   end
   return nodes, containers
end

function Module:listModules()
   local function tinsert(to, from)
      if torch.type(from) == 'table' then
         for i = 1, #from do tinsert(to, from[i]) end
      else
         to[#to + 1] = from
      end
   end
   local modules = { self }
   if self.modules then
      for i = 1, #self.modules do
         local m = self.modules[i]:listModules()
         if m then tinsert(modules, m) end
      end
   end
   return modules
end

function Module:clearState()
   return nn.utils.clear(self, 'output', 'gradInput')
end

function Module:replace(callback)
   local out = callback(self)
   if self.modules then
      for i, module in ipairs(self.modules) do
         self.modules[i] = module:replace(callback)
      end
   end
   return out
end

return Module
