-- nn.Parallel(inputDimension, outputDimension): child i applies to the
-- i-th slice of the input along inputDimension; the outputs are joined
-- along outputDimension.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local Parallel, parent = torch.class('nn.Parallel', 'nn.Container')

function Parallel:__init(inputDimension, outputDimension)
   parent.__init(self)
   -- Torch7 builds one without dimensions (nn.Parallel() in its docs); forward then says so
   if (inputDimension ~= nil and type(inputDimension) ~= 'number') or
      (outputDimension ~= nil and type(outputDimension) ~= 'number') then
      torch._core.raise(string.format('nn.Parallel: expected input and output dimensions, got %s and %s',
         tostring(inputDimension), tostring(outputDimension)))
   end
   self.modules = {}
   self.inputDimension = inputDimension
   self.outputDimension = outputDimension
end

local function check(self, input)
   if not torch.isTensor(input) then utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local d = self.inputDimension
   if type(d) ~= 'number' or type(self.outputDimension) ~= 'number' then
      utils.moduleError(self, 'built without input and output dimensions: use nn.Parallel(inputDimension, outputDimension)')
   end
   if input:dim() < d then
      utils.moduleError(self, string.format('input of size %s has no dimension %d', utils.shapeStr(input), d))
   end
   if input:size(d) ~= #self.modules then
      utils.moduleError(self, string.format('input of size %s has %d slices along dimension %d for %d modules',
         utils.shapeStr(input), input:size(d), d, #self.modules))
   end
end

function Parallel:updateOutput(input)
   check(self, input)
   local od = self.outputDimension
   local outputs, total = {}, 0
   for i = 1, #self.modules do
      local out = self:rethrowErrors(self.modules[i], i, 'updateOutput', input:select(self.inputDimension, i))
      if not torch.isTensor(out) or out:dim() < od then
         utils.moduleError(self, string.format('module %d gave an output of size %s, with no dimension %d', i,
            torch.isTensor(out) and utils.shapeStr(out) or torch.type(out), od))
      end
      outputs[i] = out
      total = total + out:size(od)
   end
   local size = outputs[1]:size()
   size[od] = total
   if self.output._dtype ~= outputs[1]._dtype then self.output = outputs[1].new() end
   self.output:resize(size)
   local offset = 1
   for i, out in ipairs(outputs) do
      local n = out:size(od)
      local dst = self.output:narrow(od, offset, n)
      local same = out:dim() == dst:dim()
      for d = 1, out:dim() do same = same and out:size(d) == dst:size(d) end
      if not same then
         utils.moduleError(self, string.format('module %d gave an output of size %s; the outputs must agree except '
            .. 'along dimension %d', i, utils.shapeStr(out), od))
      end
      dst:copy(out)
      offset = offset + n
   end
   return self.output
end

-- Calls method on every child with its slice of input and of gradOutput;
-- with copyBack, child i's gradInput goes into slice i of self.gradInput.
local function each(self, method, input, gradOutput, arg, copyBack)
   check(self, input)
   if copyBack then
      if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
      self.gradInput:resizeAs(input)
   end
   local od, offset = self.outputDimension, 1
   for i, module in ipairs(self.modules) do
      local n = module.output:size(od)
      local slice = input:select(self.inputDimension, i)
      local g = self:rethrowErrors(module, i, method, slice, gradOutput:narrow(od, offset, n), arg)
      if copyBack then self.gradInput:select(self.inputDimension, i):copy(g) end
      offset = offset + n
   end
   return self.gradInput
end

function Parallel:updateGradInput(input, gradOutput)
   return each(self, 'updateGradInput', input, gradOutput, nil, true)
end

function Parallel:accGradParameters(input, gradOutput, scale)
   each(self, 'accGradParameters', input, gradOutput, scale or 1, false)
end

function Parallel:backward(input, gradOutput, scale)
   return nn.Module._namedResult(self, pcall(each, self, 'backward', input, gradOutput, scale or 1, true))
end

function Parallel:accUpdateGradParameters(input, gradOutput, lr)
   each(self, 'accUpdateGradParameters', input, gradOutput, lr, false)
end

function Parallel:__tostring__()
   local lines = { torch.type(self) .. ' {', '  input' }
   for i, m in ipairs(self.modules) do
      local last = i == #self.modules
      local head, ext = last and '     `-> (' or '    |`-> (', last and '\n         ' or '\n    |    '
      lines[#lines + 1] = head .. i .. '): ' .. tostring(m):gsub('\n', ext)
   end
   lines[#lines + 1] = '     ... -> output'
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end
