-- nn.MapTable(module [, shared = true]): applies module to every entry of
-- a table input. Entries after the first use clones of the module, made
-- on demand; with shared, the clones share its weight, bias and their
-- gradients (Torch7's clone('weight', 'bias', 'gradWeight', 'gradBias')).
local torch = require 'torch'
local nn = require 'nn'

local MapTable, parent = torch.class('nn.MapTable', 'nn.Container')

function MapTable:__init(module, shared)
   parent.__init(self)
   self.shared = (shared == nil) and true or shared
   self.sharedparams = { 'weight', 'bias', 'gradWeight', 'gradBias' }
   self.output = {}
   self.gradInput = {}
   if module ~= nil then self:add(module) end
end

function MapTable:add(module)
   if self.module then torch._core.raise('nn.MapTable:add: MapTable holds a single module') end
   if not torch.isTypeOf(module, 'nn.Module') then
      torch._core.raise('nn.MapTable:add: expected a module, got ' .. torch.type(module))
   end
   self.module = module
   self.modules[1] = module
   return self
end

function MapTable:_extend(n)
   if not self.module then nn.utils.moduleError(self, 'no module to map (use add)') end
   self.modules[1] = self.module
   for i = 2, n do
      if not self.modules[i] then
         if self.shared then
            self.modules[i] = self.module:clone(unpack(self.sharedparams))
         else
            self.modules[i] = self.module:clone()
         end
      end
   end
end

function MapTable:resize(n)
   self:_extend(n)
   for i = n + 1, #self.modules do
      self.modules[i]:clearState()
      self.modules[i] = nil
   end
   return self
end

local function check(self, input, what)
   if torch.type(input) ~= 'table' then
      nn.utils.moduleError(self, (what or 'input') .. ' should be a table, got ' .. torch.type(input))
   end
end

function MapTable:updateOutput(input)
   check(self, input)
   self.output = {}
   self:_extend(#input)
   for i = 1, #input do
      self.output[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input[i])
   end
   return self.output
end

function MapTable:updateGradInput(input, gradOutput)
   check(self, input)
   check(self, gradOutput, 'gradOutput')
   self.gradInput = {}
   self:_extend(#input)
   for i = 1, #input do
      self.gradInput[i] = self:rethrowErrors(self.modules[i], i, 'updateGradInput', input[i], gradOutput[i])
   end
   return self.gradInput
end

function MapTable:accGradParameters(input, gradOutput, scale)
   check(self, input)
   check(self, gradOutput, 'gradOutput')
   self:_extend(#input)
   for i = 1, #input do
      self:rethrowErrors(self.modules[i], i, 'accGradParameters', input[i], gradOutput[i], scale or 1)
   end
end

function MapTable:accUpdateGradParameters(input, gradOutput, lr)
   check(self, input)
   self:_extend(#input)
   for i = 1, #input do
      self:rethrowErrors(self.modules[i], i, 'accUpdateGradParameters', input[i], gradOutput[i], lr or 1)
   end
end

-- Shared clones hold views of the module's tensors: acting on the module
-- acts on all of them, once.
function MapTable:zeroGradParameters()
   if not self.module then return end
   if self.shared then self.module:zeroGradParameters() else parent.zeroGradParameters(self) end
end

function MapTable:updateParameters(learningRate)
   if not self.module then return end
   if self.shared then self.module:updateParameters(learningRate) else parent.updateParameters(self, learningRate) end
end

function MapTable:clearState()
   for i = #self.modules, 2, -1 do
      self.modules[i]:clearState()
      self.modules[i] = nil
   end
   return parent.clearState(self)
end

function MapTable:__tostring__()
   local str = torch.type(self)
   if self.module then
      return str .. ' {\n  ' .. tostring(self.module):gsub('\n', '\n        ') .. '\n}'
   end
   return str .. ' { }'
end
