-- nn.Container: a module made of child modules (self.modules). Gathers
-- their parameters, forwards training/evaluate/reset/zeroGradParameters,
-- and names the failing child in errors ('nn.Sequential (3): ...').
local torch = require 'torch'
local nn = require 'nn'
local core = torch._core
local raise = core.raise

local Container, parent = torch.class('nn.Container', 'nn.Module')

function Container:__init(...)
   parent.__init(self, ...)
   self.modules = {}
end

function Container:add(module)
   table.insert(self.modules, module)
   return self
end

function Container:get(index)
   return self.modules[index]
end

function Container:size()
   return #self.modules
end

-- A message raised at the user's line carries that location, which the
-- container re-adds when it raises again; locations inside nnlua's own
-- files (an internal failure) are kept, they help.
local function strip_location(msg)
   local src, rest = msg:match('^(.-):%d+: (.*)$')
   if src and not (core.libroot and src:sub(1, #core.libroot) == core.libroot) then
      return rest
   end
   return msg
end

-- rethrowErrors(module, i, funcName, ...): module[funcName](module, ...),
-- with a failure reported as '<container> (i): <child's message>'.
function Container:rethrowErrors(module, moduleIndex, funcName, ...)
   local ok, a, b = xpcall(module[funcName], nn.utils.errorHandler, module, ...)
   if ok then return a, b end
   if type(a) ~= 'string' then error(a, 0) end
   local annotated = nn.utils.annotateError(a, module, moduleIndex, self)
   if annotated then error(annotated, 0) end
   raise(string.format('%s (%d): %s', torch.type(self), moduleIndex, strip_location(a)))
end
nn.utils._errorStops[Container.rethrowErrors] = true

function Container:applyToModules(func)
   for _, module in ipairs(self.modules) do func(module) end
end

function Container:zeroGradParameters()
   self:applyToModules(function(module) module:zeroGradParameters() end)
end

function Container:updateParameters(learningRate)
   self:applyToModules(function(module) module:updateParameters(learningRate) end)
end

function Container:training()
   self:applyToModules(function(module) module:training() end)
   parent.training(self)
end

function Container:evaluate()
   self:applyToModules(function(module) module:evaluate() end)
   parent.evaluate(self)
end

function Container:share(mlp, ...)
   for i = 1, #self.modules do
      self.modules[i]:share(mlp.modules[i], ...)
   end
   return self
end

function Container:reset(stdv)
   self:applyToModules(function(module) module:reset(stdv) end)
end

function Container:parameters()
   local function tinsert(to, from)
      if type(from) == 'table' then
         for i = 1, #from do tinsert(to, from[i]) end
      else
         to[#to + 1] = from
      end
   end
   local w, gw = {}, {}
   for i = 1, #self.modules do
      local mw, mgw = self.modules[i]:parameters()
      if mw then
         tinsert(w, mw)
         tinsert(gw, mgw)
      end
   end
   return w, gw
end

function Container:clearState()
   -- new tensors rather than set(): the old ones may be a child's output
   local function clear(f)
      if self[f] then
         if torch.isTensor(self[f]) then self[f] = self[f].new()
         elseif type(self[f]) == 'table' then self[f] = {}
         else self[f] = nil end
      end
   end
   clear('output')
   clear('gradInput')
   if self.modules then
      for _, module in pairs(self.modules) do module:clearState() end
   end
   return self
end

return Container
