-- nn.Sequential: children applied one after the other; backward runs them
-- in reverse, each child's gradInput feeding the previous one.
local torch = require 'torch'
local nn = require 'nn'
local core = torch._core
local raise = core.raise

local Sequential, parent = torch.class('nn.Sequential', 'nn.Container')

function Sequential:add(module)
   if not (torch.isTypeOf(module, 'nn.Module')) then
      raise('nn.Sequential:add: expected an nn.Module, got ' .. torch.type(module))
   end
   if #self.modules == 0 then
      self.gradInput = module.gradInput
   end
   table.insert(self.modules, module)
   self.output = module.output
   return self
end

function Sequential:insert(module, index)
   index = index or (#self.modules + 1)
   if index > (#self.modules + 1) or index < 1 then
      raise(string.format('nn.Sequential:insert: index %d should be contiguous to the existing modules (1..%d)', index, #self.modules + 1))
   end
   table.insert(self.modules, index, module)
   self.output = self.modules[#self.modules].output
   self.gradInput = self.modules[1].gradInput
end

function Sequential:remove(index)
   index = index or #self.modules
   if index > #self.modules or index < 1 then
      raise(string.format('nn.Sequential:remove: index %d out of range (1..%d)', index, #self.modules))
   end
   table.remove(self.modules, index)
   if #self.modules > 0 then
      self.output = self.modules[#self.modules].output
      self.gradInput = self.modules[1].gradInput
   else
      self.output = torch.Tensor()
      self.gradInput = torch.Tensor()
   end
end

function Sequential:updateOutput(input)
   local currentOutput = input
   for i = 1, #self.modules do
      currentOutput = self:rethrowErrors(self.modules[i], i, 'updateOutput', currentOutput)
   end
   self.output = currentOutput
   return currentOutput
end

-- an empty Sequential has no module to take the gradient (Torch7 failed
-- inside its loop); say so
local function needModules(self, what)
   if #self.modules == 0 then nn.utils.moduleError(self, what .. ' of an empty Sequential: add modules first') end
end

function Sequential:updateGradInput(input, gradOutput)
   needModules(self, 'updateGradInput')
   local currentGradOutput = gradOutput
   local currentModule = self.modules[#self.modules]
   for i = #self.modules - 1, 1, -1 do
      local previousModule = self.modules[i]
      currentGradOutput = self:rethrowErrors(currentModule, i + 1, 'updateGradInput', previousModule.output, currentGradOutput)
      currentModule = previousModule
   end
   currentGradOutput = self:rethrowErrors(currentModule, 1, 'updateGradInput', input, currentGradOutput)
   self.gradInput = currentGradOutput
   return currentGradOutput
end

function Sequential:accGradParameters(input, gradOutput, scale)
   needModules(self, 'accGradParameters')
   scale = scale or 1
   local currentGradOutput = gradOutput
   local currentModule = self.modules[#self.modules]
   for i = #self.modules - 1, 1, -1 do
      local previousModule = self.modules[i]
      self:rethrowErrors(currentModule, i + 1, 'accGradParameters', previousModule.output, currentGradOutput, scale)
      currentGradOutput = currentModule.gradInput
      currentModule = previousModule
   end
   self:rethrowErrors(currentModule, 1, 'accGradParameters', input, currentGradOutput, scale)
end

function Sequential:backward(input, gradOutput, scale)
   needModules(self, 'backward')
   scale = scale or 1
   local currentGradOutput = gradOutput
   local currentModule = self.modules[#self.modules]
   for i = #self.modules - 1, 1, -1 do
      local previousModule = self.modules[i]
      currentGradOutput = self:rethrowErrors(currentModule, i + 1, 'backward', previousModule.output, currentGradOutput, scale)
      currentModule.gradInput = currentGradOutput
      currentModule = previousModule
   end
   currentGradOutput = self:rethrowErrors(currentModule, 1, 'backward', input, currentGradOutput, scale)
   self.gradInput = currentGradOutput
   return currentGradOutput
end

function Sequential:accUpdateGradParameters(input, gradOutput, lr)
   needModules(self, 'accUpdateGradParameters')
   local currentGradOutput = gradOutput
   local currentModule = self.modules[#self.modules]
   for i = #self.modules - 1, 1, -1 do
      local previousModule = self.modules[i]
      self:rethrowErrors(currentModule, i + 1, 'accUpdateGradParameters', previousModule.output, currentGradOutput, lr)
      currentGradOutput = currentModule.gradInput
      currentModule = previousModule
   end
   self:rethrowErrors(currentModule, 1, 'accUpdateGradParameters', input, currentGradOutput, lr)
end

function Sequential:__tostring__()
   local tab, line, next = '  ', '\n', ' -> '
   local str = 'nn.Sequential'
   str = str .. ' {' .. line .. tab .. '[input'
   for i = 1, #self.modules do
      str = str .. next .. '(' .. i .. ')'
   end
   str = str .. next .. 'output]'
   for i = 1, #self.modules do
      str = str .. line .. tab .. '(' .. i .. '): ' .. tostring(self.modules[i]):gsub(line, line .. tab)
   end
   str = str .. line .. '}'
   return str
end

return Sequential
